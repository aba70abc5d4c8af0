/** HTTP surfaces: the data listener's routes, error bodies, the access log and the admin listener. */
package org.atrium.gateway.http;
