package org.atrium.console.view.widgets;

import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.atrium.console.view.Messages;
import org.atrium.console.view.Problem;

/**
 * A dialog that stays open while its command runs and closes only on success; the command's
 * problem shows inside the dialog. {@code onSubmit} gets a "close me" callback to pass on.
 */
public final class FormDialog {
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final ObjectProperty<Problem> problem = new SimpleObjectProperty<>();
    private final ButtonType ok;

    /** The label/field grid every edit dialog uses, so they all share one spacing. */
    public static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        return g;
    }

    public FormDialog(Window owner, Messages m, String title, String okText, Node content, ObservableBooleanValue busy,
                      Consumer<Runnable> onSubmit) {
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.setResizable(true);
        ok = new ButtonType(okText, ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(m.get("action.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        dialog.getDialogPane().getButtonTypes().addAll(ok, cancel);
        VBox body = new VBox(10, new ProblemBar(problem, m), content);
        dialog.getDialogPane().setContent(body);
        // Grow with the content (an error shown, a backend added) so the buttons stay in view and
        // the error is shown whole; never taller than the screen.
        body.layoutBoundsProperty().addListener((o, a, b) -> fit());
        problem.addListener((o, a, b) -> javafx.application.Platform.runLater(this::fit));
        dialog.getDialogPane().getStylesheets().add(Styles.base());
        dialog.getDialogPane().getStyleClass().add("atrium-dialog");
        for (ButtonType t : dialog.getDialogPane().getButtonTypes()) {
            ((Button) dialog.getDialogPane().lookupButton(t)).setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        Button okButton = (Button) dialog.getDialogPane().lookupButton(ok);
        okButton.getStyleClass().add(Styles.ACCENT_BUTTON);
        okButton.setId("dialog-ok");
        if (busy != null) {
            okButton.disableProperty().bind(busy);
        }
        okButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            problem.set(null);
            try {
                onSubmit.accept(() -> {
                    dialog.setResult(ok);
                    dialog.close();
                });
            } catch (RuntimeException ex) {
                problem.set(Problem.of(ex));
            }
        });
    }

    private void fit() {
        var pane = dialog.getDialogPane();
        if (pane.getScene() == null || pane.getScene().getWindow() == null || !pane.getScene().getWindow().isShowing()) {
            return;
        }
        var window = pane.getScene().getWindow();
        double want = pane.prefHeight(pane.getWidth());
        double max = javafx.stage.Screen.getPrimary().getVisualBounds().getHeight() * 0.9;
        double chrome = window.getHeight() - pane.getScene().getHeight();
        double target = Math.min(want, max) + (Double.isNaN(chrome) ? 0 : chrome);
        if (window.getHeight() + 0.5 < target) {
            window.setHeight(target);
        }
    }

    /** Where the running command reports failures, so they appear inside the dialog. */
    public ObjectProperty<Problem> problemProperty() {
        return problem;
    }

    public Dialog<ButtonType> dialog() {
        return dialog;
    }

    public void show() {
        dialog.show();
    }
}
