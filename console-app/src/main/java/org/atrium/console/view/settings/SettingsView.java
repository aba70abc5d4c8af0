package org.atrium.console.view.settings;

import java.util.Locale;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;

/** Language choice (applies at once) and where the console's settings live. */
public final class SettingsView {
    private final VBox root;

    public SettingsView(SettingsViewModel vm, Messages m, String gatewayAddress, String tokenFile) {
        ComboBox<Locale> language = new ComboBox<>();
        language.setId("settings-language");
        language.getItems().setAll(SettingsViewModel.LANGUAGES);
        language.setConverter(new StringConverter<>() {
            // Each language named in itself, so a person can find theirs whatever is showing now.
            @Override public String toString(Locale l) { return l == null ? "" : l.getDisplayLanguage(l); }
            @Override public Locale fromString(String s) { return null; }
        });
        language.setValue(vm.languageProperty().get());
        language.valueProperty().addListener((o, a, b) -> vm.languageProperty().set(b));
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(10);
        g.addRow(0, new Label(m.get("settings.language")), language);
        g.addRow(1, new Label(m.get("settings.gateway")), new Label(gatewayAddress));
        g.addRow(2, new Label(m.get("settings.tokenFile")), new Label(tokenFile == null ? "–" : tokenFile));
        g.getStyleClass().add(Styles.CARD);
        root = new VBox(12, ViewHeader.of(m.get("nav.settings"), null), g);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(SettingsView.class, "settings.css"));
        root.setId("settings-view");
    }

    public Parent root() {
        return root;
    }
}
