package org.atrium.console.view.widgets;

/** Style-class names used across views (defined in console.css), so typos fail at compile time. */
public final class Styles {
    public static final String VIEW = "atrium-view";
    public static final String VIEW_TITLE = "view-title";
    public static final String TOOLBAR = "view-toolbar";
    public static final String PROBLEM = "problem-bar";
    public static final String TILE = "tile";
    public static final String TILE_VALUE = "tile-value";
    public static final String TILE_LABEL = "tile-label";
    public static final String SPARKLINE = "sparkline";
    public static final String CARD = "card";
    public static final String CARD_TITLE = "card-title";
    public static final String MUTED = "muted";
    public static final String DANGER = "danger";
    public static final String OK = "ok";
    public static final String WARN = "warn";
    public static final String ACCENT_BUTTON = "accent";
    public static final String DANGER_BUTTON = "danger-button";
    public static final String WARNING_BOX = "warning-box";
    public static final String SECRET = "secret";
    public static final String DARK = "dark";

    private Styles() {
    }

    /** The shared stylesheet (colour variables, light and dark). */
    public static String base() {
        return Styles.class.getResource("/org/atrium/console/view/console.css").toExternalForm();
    }

    /** A feature's stylesheet beside its view class. */
    public static String of(Class<?> view, String name) {
        var url = view.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing stylesheet " + name + " beside " + view.getName());
        }
        return url.toExternalForm();
    }
}
