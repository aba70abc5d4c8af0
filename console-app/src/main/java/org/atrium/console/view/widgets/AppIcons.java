package org.atrium.console.view.widgets;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The Atrium icon in every size the desktop may ask for, put on every stage the console opens (main
 * window, dialogs, wall screen): the task bar and Alt-Tab then show Atrium, not a blank Java cup.
 */
public final class AppIcons {
    public static final List<Integer> SIZES = List.of(16, 32, 48, 64, 128, 256, 512);
    private static final String FOLDER = "/org/atrium/console/icons/";
    private static List<Image> images;
    private static boolean installed;

    private AppIcons() {
    }

    /** The icons found on the classpath, smallest first (empty if the build left them out). */
    public static synchronized List<Image> images() {
        if (images == null) {
            List<Image> found = new ArrayList<>();
            for (int size : SIZES) {
                try (InputStream in = AppIcons.class.getResourceAsStream(FOLDER + "atrium-" + size + ".png")) {
                    if (in != null) {
                        found.add(new Image(in));
                    }
                } catch (java.io.IOException e) {
                    // a missing size only costs the desktop a rescale
                }
            }
            images = List.copyOf(found);
        }
        return images;
    }

    public static void apply(Stage stage) {
        if (stage.getIcons().isEmpty()) {
            stage.getIcons().setAll(images());
        }
    }

    /**
     * Gives every stage, now and later, the icons. Dialogs make their own stages inside JavaFX, so
     * watching the window list is the one place that catches them all. Call on the FX thread.
     */
    public static void installOnEveryWindow() {
        if (installed) {
            return;
        }
        installed = true;
        Window.getWindows().forEach(AppIcons::applyIfStage);
        Window.getWindows().addListener((ListChangeListener<Window>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(AppIcons::applyIfStage);
            }
        });
    }

    private static void applyIfStage(Window w) {
        if (w instanceof Stage s) {
            apply(s);
        }
    }
}
