package org.atrium.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in the YAML file the way operators write them: {@code 500ms}, {@code 5s}, {@code 2m},
 * {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT30S}).
 */
final class ConfigDurations extends JsonDeserializer<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    static SimpleModule module() {
        return new SimpleModule("atrium-durations").addDeserializer(Duration.class, new ConfigDurations());
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            return seconds(p.getDecimalValue().doubleValue());
        }
        String text = p.getValueAsString();
        if (text == null) {
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return (Duration) ctxt.handleWeirdStringValue(Duration.class, text,
                    "not a duration (use e.g. 500ms, 5s, 2m, 1h or PT30S)");
        }
    }

    static Duration parse(String raw) {
        String text = raw.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofNanos(Math.round(v * 1_000_000));
                case "m" -> seconds(v * 60);
                case "h" -> seconds(v * 3600);
                case "d" -> seconds(v * 86_400);
                default -> seconds(v);
            };
        }
        try {
            return Duration.parse(raw.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(raw, e);
        }
    }

    private static Duration seconds(double v) {
        return Duration.ofNanos(Math.round(v * 1_000_000_000d));
    }
}
