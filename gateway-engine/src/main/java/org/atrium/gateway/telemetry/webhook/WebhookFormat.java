package org.atrium.gateway.telemetry.webhook;

import java.util.Locale;

/** Body shape a webhook receives. */
public enum WebhookFormat {
    /** {@code {"event":"fired","source":"atrium","alert":{AlertInfo}}} */
    GENERIC,
    /** WeCom (企业微信) group robot: {@code {"msgtype":"markdown","markdown":{"content":"..."}}} */
    WECOM,
    /** DingTalk (钉钉) robot: {@code {"msgtype":"markdown","markdown":{"title":"...","text":"..."}}} */
    DINGTALK;

    public static WebhookFormat parse(String s) {
        return s == null ? GENERIC : valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
}
