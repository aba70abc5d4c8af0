package org.atrium.console.view.widgets;

import java.util.List;
import javafx.scene.paint.Color;

/**
 * The console's one palette. A department's colour comes from its id alone, so it is the same on
 * the live charts, the usage chart, the wall and in the tables; severities have one colour each.
 * Colours are Tableau 10 (tells apart with common colour blindness; readable on light and dark).
 */
public final class Palette {
    private static final List<String> SERIES = List.of("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
            "#edc948", "#ff9da7", "#9c755f", "#e15759", "#bab0ac");

    private Palette() {
    }

    /** The hex colour of a department (stable for its id). */
    public static String department(String tenantId) {
        int h = tenantId == null ? 0 : tenantId.hashCode();
        return SERIES.get(Math.floorMod(h ^ (h >>> 5), SERIES.size()));
    }

    public static Color departmentColor(String tenantId) {
        return Color.web(department(tenantId));
    }

    /** The n-th series colour for charts whose lines are not departments. */
    public static String series(int n) {
        return SERIES.get(Math.floorMod(n, SERIES.size()));
    }

    /** Style class for a severity: {@code sev-critical}, {@code sev-warning}, {@code sev-info}. */
    public static String severityClass(String severity) {
        String s = severity == null ? "info" : severity.toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "critical" -> "sev-critical";
            case "warning" -> "sev-warning";
            default -> "sev-info";
        };
    }
}
