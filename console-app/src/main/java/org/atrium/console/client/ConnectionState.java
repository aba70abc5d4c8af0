package org.atrium.console.client;

/** State of the live feed connection, as the status bar shows it. */
public enum ConnectionState {
    /** Not started or closed on purpose. */
    DISCONNECTED,
    CONNECTING,
    CONNECTED,
    /** Lost or refused; the next attempt is scheduled with backoff. */
    RETRYING,
    /** The gateway refused the admin token; retried slowly in case the token file is replaced. */
    UNAUTHORIZED
}
