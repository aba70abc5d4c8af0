package org.atrium.gateway.state;

/** The store could not read or write; the admin API answers 503 and the request path keeps its view. */
public final class StateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
