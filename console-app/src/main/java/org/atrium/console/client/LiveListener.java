package org.atrium.console.client;

import org.atrium.model.LiveFrame;

/** Receives the live feed. Called on the client's own threads, never the UI thread. */
public interface LiveListener {
    void onFrame(LiveFrame frame);

    /** @param detail plain reason for the change (e.g. "connection refused"), may be null */
    void onState(ConnectionState state, String detail);
}
