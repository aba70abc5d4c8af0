/**
 * Routes at run time: the table the request path resolves task ids and model names in, the
 * backends with their load and health, and the balancers that pick one.
 */
package org.atrium.gateway.route;
