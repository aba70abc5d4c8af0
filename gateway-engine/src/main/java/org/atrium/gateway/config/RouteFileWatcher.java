package org.atrium.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.model.RouteSpec;

/**
 * Re-reads the configuration file when it changes and hands its {@code routes:} to a listener.
 * Polls the modification time and size once a second: editors that replace the file (write to a
 * temp file, rename) are seen as reliably as in-place writes, which a WatchService on the file's
 * directory misses on some file systems. A file that no longer parses keeps the last good routes.
 */
public final class RouteFileWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RouteFileWatcher.class.getName());

    private final Path file;
    private final Consumer<List<RouteSpec>> listener;
    private final ScheduledExecutorService timer;
    private FileTime lastModified;
    private long lastSize;

    public RouteFileWatcher(Path file, Consumer<List<RouteSpec>> listener, long periodMillis) {
        this.file = file;
        this.listener = listener;
        stamp();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-config-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private boolean stamp() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            boolean changed = !modified.equals(lastModified) || size != lastSize;
            lastModified = modified;
            lastSize = size;
            return changed;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot stat " + file + ": " + e.getMessage());
            return false;
        }
    }

    void check() {
        if (!stamp()) {
            return;
        }
        try {
            GatewayConfig cfg = ConfigLoader.load(file);
            listener.accept(cfg.routes());
            LOG.info(() -> "Reloaded " + cfg.routes().size() + " route(s) from " + file);
        } catch (ConfigException e) {
            LOG.warning("Configuration change ignored, keeping the previous routes: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Configuration change ignored", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
