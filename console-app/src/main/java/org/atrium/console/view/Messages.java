package org.atrium.console.view;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The user-visible texts of one language ({@code messages_*.properties}, UTF-8). */
public final class Messages {
    public static final String BUNDLE = "org.atrium.console.messages";
    private final ResourceBundle bundle;

    public Messages(Locale locale) {
        // Only the two languages we ship; no silent fallback to the OS locale's bundle.
        this.bundle = ResourceBundle.getBundle(BUNDLE, supported(locale),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** Chinese for any zh locale, English otherwise. */
    public static Locale supported(Locale l) {
        return l != null && l.getLanguage().equals("zh") ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    public Locale locale() {
        return bundle.getLocale();
    }

    public ResourceBundle bundle() {
        return bundle;
    }

    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, bundle.getLocale()).format(args);
    }

    /** A client's plain failure reason ("connection refused") in this language, when we know it. */
    public String reason(String detail) {
        if (detail == null) {
            return null;
        }
        String key = "reason." + detail.replace(' ', '_');
        return has(key) ? get(key) : detail;
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }

    /** "What went wrong in plain words (CODE)": the code's own wording if we have one, else the gateway's. */
    public String describe(Problem p) {
        String key = "error." + p.code();
        String text = has(key) ? get(key) : p.message();
        if (p.field() != null && !p.field().isBlank()) {
            text = get("error.field", p.field(), text);
        }
        if (has(key) && p.message() != null && !p.message().isBlank() && !p.code().equals("INTERNAL_ERROR")) {
            text = text + " — " + p.message();
        }
        return text + " (" + p.code() + ")";
    }
}
