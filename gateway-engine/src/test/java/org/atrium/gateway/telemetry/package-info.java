/** Shared test helpers for the telemetry packages: a hand-moved clock, a loopback HTTP stub, sample files. */
package org.atrium.gateway.telemetry;
