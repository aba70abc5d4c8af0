package org.atrium.gateway.state;

/** What kind of state changed; listeners reload that part of their in-memory view. */
public enum StateChange {
    TENANTS, ROUTES, BANS, TOKENS
}
