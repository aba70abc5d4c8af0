/**
 * The gateway's admin API as plain Java: REST calls and the live WebSocket feed, returning
 * shared-model records. No JavaFX here, so the same client serves tests, tools and the console.
 */
package org.atrium.console.client;
