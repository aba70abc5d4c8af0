package org.atrium.console.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;

/** Saves a scene as PNG under target/screenshots so reviewers can look at every view. */
final class Screenshots {
    static final Path DIR = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

    private Screenshots() {
    }

    static Path save(FxRobot robot, Scene scene, String name) {
        WritableImage[] img = new WritableImage[1];
        robot.interact(() -> img[0] = scene.snapshot(null));
        try {
            Files.createDirectories(DIR);
            Path out = DIR.resolve(name + ".png");
            ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", out.toFile());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
