package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static checks of the built .deb: control fields, maintainer scripts, conffiles, unit, file modes. */
class DebPackageIT {
    private static Path deb;
    private static Map<String, Entry> entries;

    /** One line of {@code dpkg-deb -c}: mode string, owner/group, path (and link target). */
    record Entry(String mode, String owner, String path, String linkTarget) {
    }

    @BeforeAll
    static void listPackage() throws IOException {
        deb = BuiltDeb.find();
        entries = Arrays.stream(Commands.ok("dpkg-deb", "-c", deb.toString()).split("\n"))
                .filter(l -> !l.isBlank())
                .map(DebPackageIT::parse)
                .collect(Collectors.toMap(Entry::path, Function.identity()));
    }

    private static Entry parse(String line) {
        // drwxr-xr-x root/root         0 2026-11-22 01:28 ./etc/atrium/
        String[] f = line.trim().split("\\s+", 6);
        String name = f[5];
        String target = null;
        int arrow = name.indexOf(" -> ");
        if (arrow >= 0) {
            target = name.substring(arrow + 4);
            name = name.substring(0, arrow);
        }
        name = name.replaceFirst("^\\.", "").replaceFirst("(.)/$", "$1");
        return new Entry(f[0], f[1], name, target);
    }

    private static String field(String name) {
        return Commands.ok("dpkg-deb", "-f", deb.toString(), name).strip();
    }

    @Test
    void controlFieldsNameTheProductItsDependenciesAndMaintainer() {
        assertThat(field("Package")).isEqualTo("atrium");
        assertThat(field("Version")).as("the build's version, as the binaries report it").isEqualTo(BuiltDeb.version());
        assertThat(field("Recommends")).contains("fonts-noto-cjk");
        assertThat(field("Architecture")).isEqualTo("amd64");
        assertThat(field("Maintainer")).matches(".+ <[^<>@\\s]+@[^<>\\s]+>");
        assertThat(field("Description")).startsWith("Atrium LLM gateway").contains("atrium-gateway");
        assertThat(field("Section")).isEqualTo("net");
        List<String> depends = Arrays.stream(field("Depends").split(","))
                .map(d -> d.strip().split(" ")[0]).toList();
        assertThat(depends).contains("libgtk-3-0", "passwd", "libc6", "xdg-utils");
        assertThat(Long.parseLong(field("Installed-Size"))).isBetween(50_000L, 400_000L);
    }

    @Test
    void maintainerScriptsArePresentCompleteAndParse(@TempDir Path control) throws IOException {
        Commands.ok("dpkg-deb", "-e", deb.toString(), control.toString());
        for (String name : List.of("preinst", "postinst", "prerm", "postrm")) {
            Path script = control.resolve(name);
            assertThat(script).isRegularFile();
            assertThat(Files.isExecutable(script)).as(name + " executable").isTrue();
            Commands.ok("sh", "-n", script.toString());
            // every jpackage placeholder was substituted
            assertThat(Files.readString(script)).doesNotContainPattern("\\b(APPLICATION|DESKTOP|COMMON|LAUNCHER_AS)_[A-Z_]+\\b");
        }
        assertThat(Files.readString(control.resolve("postinst")))
                .contains("xdg-desktop-menu install /opt/atrium/lib/atrium-atrium.desktop")
                .contains("systemctl enable --now");
        assertThat(Files.readAllLines(control.resolve("conffiles"))).containsExactly("/etc/atrium/atrium.yaml");
        assertThat(Files.readString(control.resolve("md5sums"))).contains("opt/atrium/bin/atrium-gateway");
    }

    @Test
    void filesHaveTheirPlacesOwnersAndModes() {
        assertThat(entries.values()).allMatch(e -> e.owner().equals("root/root"), "owned by root");
        assertFile("/lib/systemd/system/atrium-gateway.service", "-rw-r--r--");
        assertFile("/etc/atrium/atrium.yaml", "-rw-r--r--"); // postinst narrows it to root:atrium 0640
        assertFile("/opt/atrium/bin/atrium", "-rwxr-xr-x");
        assertFile("/opt/atrium/bin/atrium-gateway", "-rwxr-xr-x");
        assertFile("/opt/atrium/lib/app/atrium-gateway.jar", "-rw-r--r--");
        assertFile("/opt/atrium/lib/app/atrium-console.jar", "-rw-r--r--");
        assertFile("/opt/atrium/lib/atrium-atrium.desktop", "-rw-r--r--");
        assertFile("/opt/atrium/lib/atrium.png", "-rw-r--r--");
        assertFile("/opt/atrium/lib/runtime/lib/server/libjvm.so", "-rw-r--r--");
        assertFile("/opt/atrium/lib/runtime/bin/java", "-rwxr-xr-x"); // the console may start a gateway with it
        assertThat(entries.get("/usr/bin/atrium-console").linkTarget()).isEqualTo("/opt/atrium/bin/atrium");
        assertThat(entries.get("/usr/bin/atrium-gateway").linkTarget()).isEqualTo("/opt/atrium/bin/atrium-gateway");
        assertThat(entries.get("/usr/bin/atrium").linkTarget()).isEqualTo("/opt/atrium/bin/atrium-cli");
        assertFile("/opt/atrium/bin/atrium-cli", "-rwxr-xr-x");
        // the documentation the config and the unit point to, with the docs its links name
        assertFile("/opt/atrium/share/doc/README.md", "-rw-r--r--");
        assertFile("/opt/atrium/share/doc/INSTALL.md", "-rw-r--r--");
        assertFile("/opt/atrium/share/doc/docs/admin.md", "-rw-r--r--");
        // icons in the hicolor theme, 16-512 px and the SVG
        for (int px : new int[] {16, 24, 32, 48, 64, 128, 256, 512}) {
            assertFile("/usr/share/icons/hicolor/" + px + "x" + px + "/apps/atrium.png", "-rw-r--r--");
        }
        assertFile("/usr/share/icons/hicolor/scalable/apps/atrium.svg", "-rw-r--r--");
        // Data, logs and secrets are made at install time by postinst and the service, never shipped.
        assertThat(entries.keySet()).noneMatch(p -> p.startsWith("/var/"));
        assertThat(entries.keySet()).noneMatch(p -> p.endsWith("admin.token") || p.endsWith("jwt.secret"));
        // No world-writable or setuid file.
        assertThat(entries.values()).filteredOn(e -> !e.mode().startsWith("l"))
                .allMatch(e -> e.mode().charAt(8) != 'w' && e.mode().charAt(3) != 's', "not world-writable/setuid");
    }

    @Test
    void runtimeIsTrimmedAndEachLauncherSeesOnlyItsOwnApp(@TempDir Path root) throws IOException {
        assertThat(entries.keySet()).noneMatch(p -> p.startsWith("/opt/atrium/lib/runtime/jmods"));
        assertThat(entries.keySet()).noneMatch(p -> p.equals("/opt/atrium/lib/runtime/bin/javac"));
        Commands.ok("dpkg-deb", "-x", deb.toString(), root.toString());
        String release = Files.readString(root.resolve("opt/atrium/lib/runtime/release"));
        assertThat(release).contains("java.base", "java.net.http", "java.sql", "jdk.crypto.ec")
                .doesNotContain("jdk.compiler", "jdk.jshell");
        assertThat(Files.readAllLines(root.resolve("opt/atrium/lib/app/atrium-gateway.cfg")))
                .filteredOn(l -> l.startsWith("app.classpath=")).containsExactly("app.classpath=$APPDIR/atrium-gateway.jar");
        assertThat(Files.readAllLines(root.resolve("opt/atrium/lib/app/atrium.cfg")))
                .filteredOn(l -> l.startsWith("app.classpath=")).containsExactly("app.classpath=$APPDIR/atrium-console.jar");
        assertThat(Files.readString(root.resolve("opt/atrium/lib/atrium-atrium.desktop")))
                .contains("Name=Atrium Console", "Exec=/opt/atrium/bin/atrium", "Icon=atrium\n",
                        "Categories=System;Monitor;\n");
        for (String entry : List.of("opt/atrium/lib/atrium-atrium.desktop", "opt/atrium/lib/atrium-atrium-gateway.desktop")) {
            DesktopEntries.assertValid(root.resolve(entry));
        }
        assertThat(Files.readString(root.resolve("etc/atrium/atrium.yaml"))).contains("/opt/atrium/share/doc/README.md");
        assertThat(Files.readString(root.resolve("lib/systemd/system/atrium-gateway.service")))
                .contains("Documentation=file:///opt/atrium/share/doc/README.md");
        assertThat(root.resolve("opt/atrium/share/doc/README.md")).content().contains("## Configuration reference");
        assertThat(Files.readString(root.resolve("opt/atrium/lib/atrium-atrium-gateway.desktop"))).contains("NoDisplay=true");
        assertThat(Files.readString(root.resolve("lib/systemd/system/atrium-gateway.service")))
                .contains("ExecStart=/opt/atrium/bin/atrium-gateway ");
        long size = Files.size(deb);
        System.out.printf("atrium .deb: %s, %.1f MB%n", deb.getFileName(), size / 1e6);
        assertThat(BuiltDeb.sizes()).as("sizes.txt written by the build").contains(deb.getFileName() + ": " + size + " bytes");
        assertThat(size).as(".deb size").isLessThan(120_000_000L);
    }

    private static void assertFile(String path, String mode) {
        assertThat(entries).as(path).containsKey(path);
        assertThat(entries.get(path).mode()).as(path).isEqualTo(mode);
    }
}
