/**
 * The proxy to the backends: forwarding with failover before any byte went upstream, streaming
 * answers chunk by chunk, and reading token usage out of JSON and SSE answers on the way through.
 */
package org.atrium.gateway.proxy;
