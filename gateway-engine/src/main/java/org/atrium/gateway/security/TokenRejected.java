package org.atrium.gateway.security;

/** A token that is not acceptable; {@code detail} is safe to show the caller (no secrets, no internals). */
public final class TokenRejected extends Exception {
    private static final long serialVersionUID = 1L;

    public TokenRejected(String detail) {
        super(detail, null, false, false);
    }
}
