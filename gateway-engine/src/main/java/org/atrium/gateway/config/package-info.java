/** The gateway's configuration: the YAML file's records with their defaults, and the file watcher. */
package org.atrium.gateway.config;
