/**
 * The operator CLI in the gateway jar ({@code atrium-gateway token|tenant|ban|route|audit ...}):
 * picocli subcommands over one {@link org.atrium.gateway.cli.AdminClient}, which talks to a running
 * gateway's admin API or, when nothing listens, to the stopped gateway's data dir through the same
 * admin logic. Exit codes are in {@link org.atrium.gateway.cli.ExitCodes}.
 */
package org.atrium.gateway.cli;
