/**
 * Cluster mode: the {@link org.atrium.gateway.state.StateStore} on Redis (through Redisson) that
 * several gateway nodes share. Changes reach every node over pub/sub within a second; a local
 * snapshot file lets a node start and keep serving while Redis is unreachable, and the store
 * reconnects and re-syncs by itself. See {@code docs/cluster.md}.
 */
package org.atrium.gateway.state.redis;
