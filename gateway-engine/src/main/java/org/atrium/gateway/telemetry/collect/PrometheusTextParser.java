package org.atrium.gateway.telemetry.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parser for the Prometheus text exposition format 0.0.4, as DCGM exporter, vLLM and TGI serve it.
 * Strict like Prometheus' own scraper: one malformed line fails the whole scrape, so a collector
 * never shows half of a garbled answer.
 */
final class PrometheusTextParser {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped",
            "unknown", "info", "stateset", "gaugehistogram");
    // Go's ParseFloat as Prometheus uses it: decimal or exponent notation, no Java suffixes like "1f".
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d{1,19}");

    private PrometheusTextParser() {
    }

    static PromScrape parse(String text) throws MetricsParseException {
        List<PromSample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        int lineNo = 0;
        int start = 0;
        int len = text.length();
        while (start <= len) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = len;
            }
            lineNo++;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            start = end + 1;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.charAt(0) == '#') {
                comment(trimmed, lineNo, types, help);
            } else {
                samples.add(new LineReader(line, lineNo).sample());
            }
        }
        return new PromScrape(samples, types, help);
    }

    private static void comment(String line, int lineNo, Map<String, String> types, Map<String, String> help)
            throws MetricsParseException {
        String body = line.substring(1).stripLeading();
        String[] parts = body.split("[ \\t]+", 3);
        if (parts.length < 2 || !(parts[0].equals("HELP") || parts[0].equals("TYPE"))) {
            return; // an ordinary comment
        }
        String family = parts[1];
        if (!validMetricName(family)) {
            throw new MetricsParseException(lineNo, "invalid metric name in " + parts[0]);
        }
        String rest = parts.length > 2 ? parts[2] : "";
        if (parts[0].equals("TYPE")) {
            String type = rest.strip().toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                throw new MetricsParseException(lineNo, "unknown metric type '" + rest.strip() + "'");
            }
            types.put(family, type);
        } else {
            help.put(family, unescapeHelp(rest));
        }
    }

    private static String unescapeHelp(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'n') {
                    out.append('\n');
                    i++;
                    continue;
                } else if (n == '\\') {
                    out.append('\\');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    static boolean validMetricName(String s) {
        if (s.isEmpty() || !nameStart(s.charAt(0), true)) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!namePart(s.charAt(i), true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean nameStart(char c, boolean colonOk) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colonOk && c == ':');
    }

    private static boolean namePart(char c, boolean colonOk) {
        return nameStart(c, colonOk) || (c >= '0' && c <= '9');
    }

    static double parseValue(String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!NUMBER.matcher(token).matches()) {
                    throw new NumberFormatException(token);
                }
                return Double.parseDouble(token);
        }
    }

    /** Cursor over one sample line. */
    private static final class LineReader {
        private final String s;
        private final int lineNo;
        private int i;

        LineReader(String s, int lineNo) {
            this.s = s;
            this.lineNo = lineNo;
        }

        PromSample sample() throws MetricsParseException {
            skipBlanks();
            String name = name(true);
            Map<String, String> labels = Map.of();
            boolean blank = skipBlanks();
            if (i < s.length() && s.charAt(i) == '{') {
                i++;
                labels = labels();
                blank = skipBlanks();
            }
            if (!blank || i >= s.length()) {
                throw error("expected whitespace before the value");
            }
            String valueToken = token();
            double value;
            try {
                value = parseValue(valueToken);
            } catch (NumberFormatException e) {
                throw error("invalid value '" + shorten(valueToken) + "'");
            }
            Long timestamp = null;
            if (skipBlanks() && i < s.length()) {
                String ts = token();
                if (!TIMESTAMP.matcher(ts).matches()) {
                    throw error("invalid timestamp '" + shorten(ts) + "'");
                }
                try {
                    timestamp = Long.parseLong(ts);
                } catch (NumberFormatException e) {
                    throw error("timestamp out of range");
                }
                skipBlanks();
            }
            if (i < s.length()) {
                throw error("unexpected text after the sample");
            }
            return new PromSample(name, labels, value, timestamp);
        }

        private Map<String, String> labels() throws MetricsParseException {
            Map<String, String> labels = new LinkedHashMap<>();
            while (true) {
                skipBlanks();
                if (i >= s.length()) {
                    throw error("unterminated label set");
                }
                if (s.charAt(i) == '}') {
                    i++;
                    return labels;
                }
                String key = name(false);
                skipBlanks();
                expect('=');
                skipBlanks();
                expect('"');
                String value = quoted();
                if (labels.put(key, value) != null) {
                    throw error("duplicate label '" + key + "'");
                }
                skipBlanks();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                } else if (i >= s.length() || s.charAt(i) != '}') {
                    throw error("expected ',' or '}' in label set");
                }
            }
        }

        private String quoted() throws MetricsParseException {
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char n = s.charAt(i++);
                    switch (n) {
                        case '\\' -> out.append('\\');
                        case '"' -> out.append('"');
                        case 'n' -> out.append('\n');
                        default -> throw error("invalid escape '\\" + n + "' in label value");
                    }
                } else {
                    out.append(c);
                }
            }
            throw error("unterminated label value");
        }

        private String name(boolean metric) throws MetricsParseException {
            int from = i;
            if (i < s.length() && nameStart(s.charAt(i), metric)) {
                i++;
                while (i < s.length() && namePart(s.charAt(i), metric)) {
                    i++;
                }
            }
            if (from == i) {
                throw error(metric ? "invalid metric name" : "invalid label name");
            }
            return s.substring(from, i);
        }

        private String token() {
            int from = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
            return s.substring(from, i);
        }

        private void expect(char c) throws MetricsParseException {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        /** Skips spaces and tabs; true if at least one was skipped. */
        private boolean skipBlanks() {
            int from = i;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i > from;
        }

        private MetricsParseException error(String message) {
            return new MetricsParseException(lineNo, message + " (column " + (i + 1) + ")");
        }

        private static String shorten(String t) {
            return t.length() > 40 ? t.substring(0, 40) + "..." : t;
        }
    }
}
