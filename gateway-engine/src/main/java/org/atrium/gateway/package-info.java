/** The gateway's entry point and its one wiring class. */
package org.atrium.gateway;
