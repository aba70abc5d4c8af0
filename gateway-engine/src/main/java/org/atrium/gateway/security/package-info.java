/** Secrets in the data dir, JWT verification, and address matching for bans and trusted proxies. */
package org.atrium.gateway.security;
