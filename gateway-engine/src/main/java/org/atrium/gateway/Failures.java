package org.atrium.gateway;

/** Failures put into words for a log line an operator reads. */
public final class Failures {
    private Failures() {
    }

    /**
     * The exception chain on one line, each cause's type and message ({@code ConnectException} has
     * no message of its own: "null" told an operator nothing). Bounded, never a stack trace.
     */
    public static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        String previous = null;
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            String m = firstLine(t.getMessage());
            String part = t.getClass().getSimpleName() + (m != null && !m.isBlank() ? ": " + m
                    : t instanceof java.net.ConnectException ? " (refused or unreachable)" : "");
            if (part.equals(previous)) {
                continue; // wrappers that repeat their cause say nothing new
            }
            b.append(b.isEmpty() ? "" : " <- ").append(part);
            previous = part;
        }
        return b.toString();
    }

    /**
     * A message's first line, at most 200 characters: parsers append hex dumps of what they read
     * (a backend's answer can carry patient text), and a log line is not the place for it.
     */
    private static String firstLine(String m) {
        if (m == null) {
            return null;
        }
        int nl = m.indexOf('\n');
        String line = (nl < 0 ? m : m.substring(0, nl)).strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** The exception's own message when it has one (Atrium's own, already worded), else {@link #describe}. */
    public static String reason(Throwable e) {
        String m = firstLine(e.getMessage());
        return m != null && !m.isBlank() ? m : describe(e);
    }
}
