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
        rotation = new Timeline(new KeyFrame(ROTATE_EVERY, e -> vm.advance()));
        rotation.setCycleCount(Timeline.INDEFINITE);
        rotation.play();
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
        clockTick = new Timeline(new KeyFrame(Duration.seconds(1), e -> time.setText(fmt.format(clock.instant()))));
        clockTick.setCycleCount(Timeline.INDEFINITE);
        clockTick.play();
        time.setText(fmt.format(clock.instant()));
    }

    public void stop() {
        rotation.stop();
        clockTick.stop();
    }

    public Parent root() {
        return root;
    }
}
