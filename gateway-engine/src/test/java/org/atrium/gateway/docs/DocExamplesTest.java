package org.atrium.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atrium.gateway.Main;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the shell examples of README.md and docs/*.md: every {@code ```sh} block of a file, in
 * order, as one POSIX shell script with {@code set -e} and {@code curl --fail-with-body}, against a
 * freshly started gateway with a stub backend for {@code task_001} (alias {@code qwen3-8b}). The
 * names the examples use stand for this gateway: {@code http://gateway:8080} and
 * {@code 127.0.0.1:8080/8081} are its ports, {@code ~/.local/share/atrium} its data dir, and
 * {@code atrium} the operator command of this build. Blocks marked {@code ```bash} or
 * {@code ```text} are illustrative and not run (the convention README.md documents).
 */
class DocExamplesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs.stream().filter(p -> !runnableBlocks(p).isEmpty()).toList();
    }

    /** The {@code ```sh} blocks of a markdown file, in order (fences start a line). */
    static List<String> runnableBlocks(Path markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        try {
            for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
                if (block == null && line.strip().equals("```sh")) {
                    block = new StringBuilder();
                } else if (block != null && line.strip().equals("```")) {
                    blocks.add(block.toString());
                    block = null;
                } else if (block != null) {
                    block.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return blocks;
    }

    @Test
    void theReadmeAndTheAdminGuideHaveRunnableExamples() throws IOException {
        assertThat(documents()).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/admin.md"));
        assertThat(runnableBlocks(ROOT.resolve("README.md"))).hasSizeGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyShellExampleRunsAgainstAFreshGateway(Path markdown, @TempDir Path tmp) throws Exception {
        Run run = runExamples(String.join("\n", runnableBlocks(markdown)), tmp);
        assertThat(run.exit()).as("examples of %s failed:%n%s", ROOT.relativize(markdown), run.output()).isZero();
    }

    @Test
    void aWrongExampleFailsTheHarness(@TempDir Path tmp) throws Exception {
        // The README's token example as it once was: on a fresh gateway the tenant does not exist.
        String wrong = """
                ADMIN="Authorization: Bearer $(cat ~/.local/share/atrium/admin.token)"
                curl -s -H "$ADMIN" -H 'Content-Type: application/json' \\
                     -d '{"tenant":"radiology","user":"dr_li","allowedTasks":["task_001"]}' \\
                     http://127.0.0.1:8081/admin/v1/tokens
                """;
        Run run = runExamples(wrong, tmp);
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("unknown tenant");
        assertThat(runExamples("atrium tenant disable nope", tmp.resolve("2")).exit()).as("a failing CLI call").isNotZero();
        assertThat(runExamples("atrium tenant list", tmp.resolve("3")).exit()).as("a good one").isZero();
    }

    record Run(int exit, String output) {
    }

    private static Run runExamples(String examples, Path tmp) throws Exception {
        // .ci/run installs curl; on a machine without it the examples cannot run at all.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("sh", "-c", "command -v curl").start().waitFor() == 0, "curl is not installed");
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("routes:\n  - id: task_001\n    aliases: [qwen3-8b]\n    backends:\n"
                     + "      - url: " + stub.url() + "\n")) {
            String data = gw.base().replace("http://", "");
            String admin = gw.admin().replace("http://", "").replaceAll("/$", "");
            Path home = Files.createDirectories(tmp.resolve("home/.local/share"));
            Files.createSymbolicLink(home.resolve("atrium"), gw.server().dataDir());
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path atrium = bin.resolve("atrium");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(atrium, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                    + System.getProperty("java.class.path") + "' -Duser.home=\"$HOME\" -D" + Main.COMMAND_NAME_PROPERTY + "=atrium "
                    + Main.class.getName() + " \"$@\"\n");
            Files.setPosixFilePermissions(atrium, PosixFilePermissions.fromString("rwxr-xr-x"));

            String script = "set -e\n"
                    + "curl() { command curl --fail-with-body --show-error --max-time 30 \"$@\"; }\n"
                    + examples.replace("http://gateway:8080", "http://" + data)
                    .replace("gateway:8080", data)
                    .replace("127.0.0.1:8080", data)
                    .replace("127.0.0.1:8081", admin);
            Path file = tmp.resolve("examples.sh");
            Files.writeString(file, script);
            Path work = Files.createDirectories(tmp.resolve("work"));
            ProcessBuilder pb = new ProcessBuilder("sh", file.toString()).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            pb.environment().put("HOME", tmp.resolve("home").toString());
            pb.environment().put("ATRIUM_GATEWAY", gw.admin());
            pb.environment().remove("ATRIUM_DATA_DIR");
            pb.environment().remove("XDG_DATA_HOME");
            pb.environment().remove("JWT_SECRET");
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("examples did not finish in 300 s:\n" + Files.readString(tmp.resolve("out.txt")));
            }
            return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt")));
        }
    }
}
