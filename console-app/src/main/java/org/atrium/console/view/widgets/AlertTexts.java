package org.atrium.console.view.widgets;

import java.util.Locale;
import org.atrium.console.view.Messages;
import org.atrium.model.AlertInfo;

/**
 * An alert in the reader's language: by its rule id ({@code alert.rule.gpu_temperature}), not by the
 * gateway's English text. English keeps the gateway's own sentence, which carries the figures.
 */
public final class AlertTexts {
    private AlertTexts() {
    }

    public static String describe(AlertInfo a, Messages m) {
        String key = "alert.rule." + (a.rule() == null ? "" : a.rule().toLowerCase(Locale.ROOT));
        boolean english = m.locale().getLanguage().equals("en");
        if (english && a.message() != null && !a.message().isBlank()) {
            return a.message();
        }
        return m.has(key) ? m.get(key, a.subject() == null ? "" : a.subject())
                : a.message() == null ? String.valueOf(a.rule()) : a.message();
    }
}
