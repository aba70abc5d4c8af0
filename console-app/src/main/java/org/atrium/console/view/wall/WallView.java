package org.atrium.console.view.wall;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.Styles;

/**
 * The IT-room wall: dark, large type, one panel at a time rotating, no edit controls. The panels are
 * read-only live views; the live feed's own reconnect keeps it going across gateway restarts.
 */
public final class WallView {
    public static final Duration ROTATE_EVERY = Duration.seconds(20);

    private final BorderPane root = new BorderPane();
    private final Timeline rotation;
    private final Timeline clockTick;

    public WallView(WallViewModel vm, Messages m, List<Node> panels, List<String> titles, Node connection, Clock clock) {
        Label title = new Label();
        title.getStyleClass().add("wall-title");
        Label time = new Label();
        time.getStyleClass().add("wall-clock");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label brand = new Label(m.get("app.name"));
        brand.getStyleClass().add("wall-brand");
        HBox top = new HBox(24, brand, title, spacer, connection, time);
        top.getStyleClass().add("wall-top");
        StackPane center = new StackPane();
        center.getStyleClass().add("wall-center");
        Runnable show = () -> {
            int i = vm.panelProperty().get();
            center.getChildren().setAll(panels.get(i));
            title.setText(titles.get(i));
        };
        vm.panelProperty().addListener((o, a, b) -> show.run());
        show.run();
        root.setTop(top);
        root.setCenter(center);
        root.getStyleClass().addAll(Styles.VIEW, Styles.DARK, "wall");
        root.getStylesheets().addAll(Styles.base(), Styles.of(WallView.class, "wall.css"));
        root.setId("wall-view");
        root.setOnMouseClicked(e -> vm.advance());
        // Everything on the wall is sized in em of this one font size, which follows the screen:
        // 20 px at 1920 × 1080, smaller on a 1440 × 900 kiosk, larger on 4K.
        root.sceneProperty().addListener((o, a, scene) -> {
            root.styleProperty().unbind();
            if (scene != null) {
                root.styleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                        () -> "-fx-font-size: " + fontSize(scene.getWidth(), scene.getHeight()) + "px;",
                        scene.widthProperty(), scene.heightProperty()));
            }
        });
        rotation = new Timeline(new KeyFrame(ROTATE_EVERY, e -> vm.advance()));
        rotation.setCycleCount(Timeline.INDEFINITE);
        rotation.play();
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
        clockTick = new Timeline(new KeyFrame(Duration.seconds(1), e -> time.setText(fmt.format(clock.instant()))));
        clockTick.setCycleCount(Timeline.INDEFINITE);
        clockTick.play();
        time.setText(fmt.format(clock.instant()));
    }

    /** The wall's base font size in px for a screen of this size (20 at 1920 × 1080, 12-48). */
    public static double fontSize(double width, double height) {
        if (width <= 0 || height <= 0) {
            return 20;
        }
        double scale = Math.min(width / 1920, height / 1080);
        return Math.round(Math.max(12, Math.min(48, 20 * scale)) * 10) / 10.0;
    }

    public void stop() {
        rotation.stop();
        clockTick.stop();
    }

    public Parent root() {
        return root;
    }
}
