/**
 * Durable state behind one contract: tenants, routes, bans, the token registry, usage counters,
 * the audit trail. {@link org.atrium.gateway.state.StateStore} has an embedded (SQLite) and a
 * Redis implementation; {@link org.atrium.gateway.state.StateView} is the in-memory copy the
 * request path reads, so no request waits on disk or network.
 */
package org.atrium.gateway.state;
