package org.atrium.gateway.telemetry.alert;

import java.util.List;
import org.atrium.model.AlertInfo;

/**
 * Where alerts and their history are kept. One occurrence is identified by {@code id} plus
 * {@code firedAt} (the same condition firing again tomorrow is a new occurrence with the same id).
 * {@link InMemoryAlertStore} is the bounded default; the gateway can back it with its state store.
 */
public interface AlertStore {
    /** Inserts the occurrence or replaces it (resolve, acknowledge). */
    void save(AlertInfo alert);

    /** Occurrences not yet resolved. */
    List<AlertInfo> active();

    /** Newest first (by {@code firedAt}), at most {@code limit}. */
    List<AlertInfo> history(int limit);
}
