/**
 * Start-up and wiring: finds or starts the local gateway, builds the client, view models and views
 * by hand in {@link org.atrium.console.app.ConsoleApp} (no singletons, no DI container).
 */
package org.atrium.console.app;
