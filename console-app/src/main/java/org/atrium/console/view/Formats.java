package org.atrium.console.view;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** Numbers, times and durations as the console shows them, in the chosen language. */
public final class Formats {
    private final Messages m;
    private final DateTimeFormatter dateTime;

    public Formats(Messages m, ZoneId zone) {
        this.m = m;
        this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(m.locale()).withZone(zone);
    }

    public String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1_000);
        }
        return a >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    public String instant(Instant t) {
        return t == null ? "–" : dateTime.format(t);
    }

    /** "2 h 5 min", "45 s"; null means "until removed". */
    public String remaining(Duration d) {
        if (d == null) {
            return m.get("time.forever");
        }
        long s = d.toSeconds();
        if (s >= 86_400) {
            return m.get("time.daysHours", s / 86_400, (s % 86_400) / 3600);
        }
        if (s >= 3600) {
            return m.get("time.hoursMinutes", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return m.get("time.minutes", s / 60);
        }
        return m.get("time.seconds", s);
    }

    public String duration(Duration d) {
        return d.isZero() ? m.get("time.forever") : remaining(d);
    }
}
