package org.atrium.console.view.widgets;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The console's look: AtlantaFX Primer (light for the desktop console, dark for the wall) under the
 * console's own stylesheet, and Material Design icons (Ikonli) by literal name.
 */
public final class Theme {
    private Theme() {
    }

    /** Light Primer for every window of the application (the user-agent stylesheet). FX thread. */
    public static void useLight() {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
    }

    /** Dark Primer for one part of the scene graph (the wall), over the light default. */
    public static String dark() {
        return Theme.class.getResource("/atlantafx/base/theme/primer-dark.css").toExternalForm();
    }

    /** An icon by its Ikonli literal, e.g. {@code mdi2k-key}, sized in em of the text around it. */
    public static FontIcon icon(String literal) {
        FontIcon i = new FontIcon(literal);
        i.getStyleClass().add("atrium-icon");
        return i;
    }
}
