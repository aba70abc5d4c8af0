package org.atrium.installer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian and shell tools the package checks rely on, and finds the files they check. */
final class Commands {
    private Commands() {
    }

    /** Exit code and merged stdout/stderr of one finished command. */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command) {
        return run(command, java.util.Map.of());
    }

    /** Runs a command with extra environment variables (JWT_SECRET and ATRIUM_DATA_DIR removed). */
    static Result run(List<String> command, java.util.Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().remove("JWT_SECRET");
            pb.environment().remove("ATRIUM_DATA_DIR");
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command that must succeed and returns its output. */
    static String ok(String... command) {
        Result r = run(List.of(command));
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /** installer/ (the module's folder), given by Maven. */
    static Path installerDir() {
        return Path.of(System.getProperty("atrium.installer.dir", ".")).toAbsolutePath().normalize();
    }
}
