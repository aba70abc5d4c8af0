package org.atrium.console.view.settings;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** Console preferences: the language (follows the OS locale until chosen). */
public final class SettingsViewModel {
    public static final List<Locale> LANGUAGES = List.of(Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH);

    private final ObjectProperty<Locale> language = new SimpleObjectProperty<>();

    /** @param store persists a choice (e.g. java.util.prefs) */
    public SettingsViewModel(Locale initial, Consumer<Locale> store) {
        language.set(supported(initial));
        language.addListener((o, a, b) -> {
            if (b != null && !b.equals(a)) {
                store.accept(b);
            }
        });
    }

    /** Chinese for any zh locale, English otherwise. */
    public static Locale supported(Locale l) {
        return org.atrium.console.view.Messages.supported(l);
    }

    public ObjectProperty<Locale> languageProperty() {
        return language;
    }
}
