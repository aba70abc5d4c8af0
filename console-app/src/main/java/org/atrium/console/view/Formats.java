package org.atrium.console.view;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.function.Supplier;

/**
 * Numbers, times and durations as the console shows them, in the chosen language: one number
 * formatter per locale, one date style, and one time zone for every time on screen (the gateway's
 * quota zone once it has said which, so "today" means the same day everywhere).
 */
public final class Formats {
    private final Messages m;
    private final Supplier<ZoneId> zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter time;
    private final NumberFormat whole;
    private final NumberFormat oneDecimal;

    public Formats(Messages m, ZoneId zone) {
        this(m, () -> zone);
    }

    /** @param zone read at each use: it changes when the gateway tells its quota zone */
    public Formats(Messages m, Supplier<ZoneId> zone) {
        this.m = m;
        this.zone = zone;
        this.dateTime = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT, FormatStyle.MEDIUM).withLocale(m.locale());
        this.time = DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM).withLocale(m.locale());
        this.whole = NumberFormat.getIntegerInstance(m.locale());
        this.oneDecimal = NumberFormat.getNumberInstance(m.locale());
        oneDecimal.setMinimumFractionDigits(1);
        oneDecimal.setMaximumFractionDigits(1);
        oneDecimal.setRoundingMode(java.math.RoundingMode.HALF_UP);
        whole.setRoundingMode(java.math.RoundingMode.HALF_UP);
    }

    public ZoneId zone() {
        return zone.get();
    }

    /** The zone for axis and column titles: its id ("Asia/Shanghai", "UTC"), unambiguous unlike "CST". */
    public String zoneName() {
        return zone().normalized().getId().equals("Z") ? "UTC" : zone().getId();
    }

    /**
     * One style for every figure: whole numbers with grouping ("10,000", "3,581"); one decimal below 100
     * unless whole; above a million "1.2M". NaN (no data) is a dash.
     */
    public String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1_000_000) {
            return oneDecimal.format(v / 1_000_000) + "M";
        }
        return a >= 100 || v == Math.rint(v) ? whole.format(Math.round(v)) : oneDecimal.format(v);
    }

    /** A whole figure with its unit, for a wall read across the room: "79 %", "71 °C". */
    public String whole(double v, String unit) {
        return (Double.isNaN(v) || Double.isInfinite(v) ? "–" : whole.format(Math.round(v))) + " " + unit;
    }

    /** A figure with its unit: "71 °C", "41.3 GiB", "12 req/s". */
    public String number(double v, String unit) {
        return number(v) + " " + unit;
    }

    /** A day as this locale writes it ("Nov 22, 2026", "2026年11月22日"). */
    public String date(java.time.LocalDate d) {
        return d == null ? "–" : DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(m.locale()).format(d);
    }

    /** Month and day for chart categories ("11/22" in English, "11-22" elsewhere follows the locale's order). */
    public String shortDate(java.time.LocalDate d) {
        return DateTimeFormatter.ofPattern(m.locale().getLanguage().equals("zh") ? "M月d日" : "MMM d", m.locale()).format(d);
    }

    public String instant(Instant t) {
        return t == null ? "–" : dateTime.withZone(zone()).format(t);
    }

    /** Time of day only ("08:00:00"), in the same zone as every other time shown. */
    public String time(Instant t) {
        return t == null ? "–" : time.withZone(zone()).format(t);
    }

    /** "2 h 5 min", "45 s"; null means "until removed". */
    public String remaining(Duration d) {
        if (d == null) {
            return m.get("time.forever");
        }
        long s = d.toSeconds();
        if (s >= 86_400) {
            return s % 86_400 / 3600 == 0 ? m.get("time.days", s / 86_400) : m.get("time.daysHours", s / 86_400, (s % 86_400) / 3600);
        }
        if (s >= 3600) {
            return s % 3600 / 60 == 0 ? m.get("time.hours", s / 3600) : m.get("time.hoursMinutes", s / 3600, (s % 3600) / 60);
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
