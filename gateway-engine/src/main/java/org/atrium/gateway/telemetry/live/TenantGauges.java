package org.atrium.gateway.telemetry.live;

/** Per-tenant gauges the gateway core owns (admission queue, quota counters). */
public interface TenantGauges {
    TenantGauges NONE = new TenantGauges() {
    };

    default int inFlight(String tenant) {
        return 0;
    }

    default int queued(String tenant) {
        return 0;
    }

    /** Highest of request/token quota use today, 0-100+; null when the tenant has no quota. */
    default Double quotaUsedPercent(String tenant) {
        return null;
    }
}
