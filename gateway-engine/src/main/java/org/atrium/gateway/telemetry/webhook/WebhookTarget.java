package org.atrium.gateway.telemetry.webhook;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One webhook. The URL often carries the robot's key (WeCom {@code ?key=}, DingTalk
 * {@code ?access_token=}), so it is never logged; only its host is.
 *
 * @param secret DingTalk "sign" secret ({@code SEC...}); when set, requests carry
 *               {@code timestamp} and {@code sign}. Ignored by the other formats.
 */
public record WebhookTarget(URI url, WebhookFormat format, String secret) {
    public WebhookTarget {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook url must be http(s) with a host and no credentials");
        }
        format = format == null ? WebhookFormat.GENERIC : format;
        secret = secret == null || secret.isBlank() ? null : secret.strip();
    }

    @Override
    public String toString() {
        return "WebhookTarget[" + format + " " + url.getHost() + "]"; // keeps keys out of logs
    }
}
