package org.atrium.console.view.connection;

import java.util.function.BiConsumer;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.FormDialog;
import org.atrium.console.view.widgets.Styles;

/** "Connect to gateway…": a remote gateway by address and admin token. */
public final class ConnectDialog {
    private ConnectDialog() {
    }

    public static void show(Window owner, Messages m, String currentAddress, BiConsumer<String, String> connect) {
        TextField address = new TextField(currentAddress);
        address.setPrefColumnCount(28);
        address.setId("connect-address");
        PasswordField token = new PasswordField();
        token.setId("connect-token");
        Label hint = new Label(m.get("connect.hint"));
        hint.setWrapText(true);
        hint.getStyleClass().add(Styles.MUTED);
        GridPane g = FormDialog.grid();
        g.addRow(0, new Label(m.get("connect.address")), address);
        g.addRow(1, new Label(m.get("connect.token")), token);
        g.add(hint, 0, 2, 2, 1);
        new FormDialog(owner, m, m.get("connect.title"), m.get("connect.connect"), g, null, close -> {
            connect.accept(address.getText(), token.getText());
            close.run();
        }).show();
    }
}
