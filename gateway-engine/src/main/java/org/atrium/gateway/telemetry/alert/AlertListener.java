package org.atrium.gateway.telemetry.alert;

/**
 * Receives alert events on the evaluating thread: implementations must return quickly (queue the
 * work) and should not throw; an exception is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface AlertListener {
    void onAlert(AlertEvent event);
}
