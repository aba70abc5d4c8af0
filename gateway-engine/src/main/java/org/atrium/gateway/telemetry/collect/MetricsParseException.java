package org.atrium.gateway.telemetry.collect;

/** Input that is not in the expected text format; {@code line} is 1-based, 0 when unknown. */
final class MetricsParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    MetricsParseException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    int line() {
        return line;
    }
}
