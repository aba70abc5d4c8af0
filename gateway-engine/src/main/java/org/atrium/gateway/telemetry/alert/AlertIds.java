package org.atrium.gateway.telemetry.alert;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Stable alert ids {@code rule:subject}, safe in a URL path segment. A subject with other
 * characters (a backend URL) is cleaned and given a short checksum so two subjects never meet.
 */
final class AlertIds {
    private AlertIds() {
    }

    static String of(AlertRule rule, String subject) {
        StringBuilder clean = new StringBuilder(subject.length());
        boolean changed = false;
        for (int i = 0; i < subject.length() && clean.length() < 120; i++) {
            char c = subject.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':';
            clean.append(ok ? c : '_');
            changed |= !ok;
        }
        if (changed || clean.length() < subject.length()) {
            CRC32 crc = new CRC32();
            crc.update(subject.getBytes(StandardCharsets.UTF_8));
            clean.append('~').append(String.format("%08x", crc.getValue()));
        }
        return rule.id() + ":" + clean;
    }
}
