/**
 * Records the gateway and the console exchange: admin API bodies, live-feed frames, error codes,
 * and the one JSON mapping both sides use. No Helidon, no JavaFX here.
 */
package org.atrium.model;
