/**
 * Delivery of alert events to optional webhooks: generic JSON, WeCom group robot and DingTalk
 * robot body shapes, retried with exponential backoff from a bounded per-webhook queue so a dead
 * webhook can neither block the alert engine nor grow memory.
 */
package org.atrium.gateway.telemetry.webhook;
