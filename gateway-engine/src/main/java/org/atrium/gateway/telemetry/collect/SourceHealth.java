package org.atrium.gateway.telemetry.collect;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * Success/failure state of one polled source. Logs the first failure and the recovery once each,
 * so a dead node polled every five seconds does not fill the log.
 */
final class SourceHealth {
    private static final System.Logger LOG = System.getLogger(GpuTelemetry.class.getName());

    private final String description;
    private final Duration staleAfter;
    private volatile Instant lastSuccess;
    private volatile boolean failing;
    private volatile String lastError;

    SourceHealth(String description, Duration staleAfter) {
        this.description = description;
        this.staleAfter = staleAfter;
    }

    synchronized void success(Instant at) {
        if (failing) {
            LOG.log(Level.INFO, "{0}: recovered", description);
        }
        failing = false;
        lastError = null;
        lastSuccess = at;
    }

    synchronized void failure(String reason) {
        if (!failing) {
            LOG.log(Level.WARNING, "{0}: {1}; keeping last values, marked stale until it recovers", description, reason);
        } else {
            LOG.log(Level.DEBUG, "{0}: still failing: {1}", description, reason);
        }
        failing = true;
        lastError = reason;
    }

    /** Stale when the last poll failed, or the last success is too old (a poll hangs or stopped). */
    boolean stale(Instant now) {
        Instant ok = lastSuccess;
        return failing || ok == null || now.isAfter(ok.plus(staleAfter));
    }

    boolean failing() {
        return failing;
    }

    String lastError() {
        return lastError;
    }

    String description() {
        return description;
    }
}
