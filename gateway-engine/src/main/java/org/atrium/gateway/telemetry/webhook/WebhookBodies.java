package org.atrium.gateway.telemetry.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.atrium.gateway.telemetry.alert.AlertEvent;
import org.atrium.model.AlertInfo;
import org.atrium.model.Json;

/** The three body shapes. Texts are short and plain: robots show them on phones. */
final class WebhookBodies {
    /** WeCom rejects markdown content over 4096 bytes. */
    static final int WECOM_MAX_BYTES = 4096;
    /** DingTalk's limit is larger; stay well under it. */
    static final int DINGTALK_MAX_BYTES = 16_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private WebhookBodies() {
    }

    static String body(WebhookFormat format, AlertEvent event, ZoneId zone) {
        ObjectNode root = Json.mapper().createObjectNode();
        switch (format) {
            case GENERIC -> {
                root.put("event", event.type().wire());
                root.put("source", "atrium");
                root.set("alert", Json.mapper().valueToTree(event.alert()));
            }
            case WECOM -> {
                root.put("msgtype", "markdown");
                root.putObject("markdown").put("content", truncate(wecomText(event, zone), WECOM_MAX_BYTES));
            }
            case DINGTALK -> {
                root.put("msgtype", "markdown");
                ObjectNode md = root.putObject("markdown");
                md.put("title", title(event));
                md.put("text", truncate(dingTalkText(event, zone), DINGTALK_MAX_BYTES));
            }
            default -> throw new IllegalStateException();
        }
        try {
            return Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String title(AlertEvent e) {
        return "Atrium " + label(e.type()) + ": " + e.alert().rule() + " " + e.alert().subject();
    }

    private static String label(AlertEvent.Type t) {
        return switch (t) {
            case FIRED -> "告警 ALERT";
            case RESOLVED -> "恢复 RESOLVED";
            case ACKNOWLEDGED -> "已确认 ACKNOWLEDGED";
        };
    }

    private static String wecomText(AlertEvent e, ZoneId zone) {
        AlertInfo a = e.alert();
        String colour = e.type() == AlertEvent.Type.RESOLVED ? "info" : "warning";
        StringBuilder sb = new StringBuilder();
        sb.append("### Atrium <font color=\"").append(colour).append("\">").append(label(e.type())).append("</font>\n");
        sb.append(plain(a.message())).append('\n');
        sb.append("> Rule: <font color=\"comment\">").append(plain(a.rule())).append("</font>\n");
        sb.append("> Severity: ").append(plain(a.severity())).append('\n');
        sb.append("> Subject: ").append(plain(a.subject())).append('\n');
        sb.append("> Fired: ").append(time(a.firedAt(), zone)).append('\n');
        if (a.resolvedAt() != null) {
            sb.append("> Resolved: ").append(time(a.resolvedAt(), zone)).append('\n');
        }
        sb.append("> Id: ").append(plain(a.id()));
        return sb.toString();
    }

    private static String dingTalkText(AlertEvent e, ZoneId zone) {
        AlertInfo a = e.alert();
        StringBuilder sb = new StringBuilder();
        sb.append("### Atrium ").append(label(e.type())).append("\n\n");
        sb.append(plain(a.message())).append("\n\n");
        sb.append("- Rule: ").append(plain(a.rule())).append('\n');
        sb.append("- Severity: ").append(plain(a.severity())).append('\n');
        sb.append("- Subject: ").append(plain(a.subject())).append('\n');
        sb.append("- Fired: ").append(time(a.firedAt(), zone)).append('\n');
        if (a.resolvedAt() != null) {
            sb.append("- Resolved: ").append(time(a.resolvedAt(), zone)).append('\n');
        }
        sb.append("- Id: ").append(plain(a.id()));
        return sb.toString();
    }

    /** Names come from admin config; keep them from opening tags in the robots' markdown. */
    private static String plain(String s) {
        return s == null ? "" : s.replace('<', '‹').replace('>', '›');
    }

    private static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }

    static String truncate(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int bytes = 0;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes - 3) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.append("...").toString();
    }
}
