package org.atrium.gateway.state;

/** An admin change to record; the store adds sequence, time and the hash chain. */
public record AuditRecord(String actor, String address, String action, String target, String before, String after) {
}
