package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static checks of the built .rpm (made when rpmbuild is installed, as .ci/run does): metadata,
 * dependencies, scriptlets, the config file, and the same layout as the .deb. Running it from the
 * extracted package is {@link ExtractedGatewayIT}'s.
 */
class RpmPackageIT {
    private static Path rpm;

    @BeforeAll
    static void find() throws Exception {
        Assumptions.assumeTrue(Extracted.RPM.built(), "no .rpm built (rpmbuild not installed)");
        rpm = BuiltDeb.find(".rpm");
    }

    private static String query(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "rpm";
        cmd[1] = "-qp";
        System.arraycopy(args, 0, cmd, 2, args.length);
        cmd[cmd.length - 1] = rpm.toString();
        return Commands.ok(cmd);
    }

    @Test
    void metadataNamesTheProductItsVersionAndDependencies() {
        assertThat(query("--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}")).isEqualTo("atrium " + BuiltDeb.version() + " 1 x86_64");
        assertThat(query("--qf", "%{DESCRIPTION}")).contains("atrium-gateway");
        assertThat(query("--requires")).contains("gtk3", "xdg-utils", "shadow-utils");
        assertThat(query("--recommends")).contains("google-noto-sans-cjk-fonts");
        assertThat(query("--configfiles").strip()).isEqualTo("/etc/atrium/atrium.yaml");
        System.out.printf("atrium .rpm: %s, %.1f MB%n", rpm.getFileName(), rpm.toFile().length() / 1e6);
    }

    @Test
    void sameLayoutAsTheDebWithTheUnitWhereRpmSystemsKeepIt() {
        List<String> files = Arrays.asList(query("-l").split("\n"));
        assertThat(files).contains("/opt/atrium/bin/atrium", "/opt/atrium/bin/atrium-gateway", "/opt/atrium/bin/atrium-cli",
                "/opt/atrium/lib/app/atrium-gateway.jar", "/opt/atrium/lib/runtime/bin/java",
                "/opt/atrium/share/doc/README.md", "/opt/atrium/share/doc/docs/admin.md",
                "/usr/lib/systemd/system/atrium-gateway.service", "/etc/atrium/atrium.yaml",
                "/usr/bin/atrium", "/usr/bin/atrium-console", "/usr/bin/atrium-gateway",
                "/usr/share/icons/hicolor/16x16/apps/atrium.png", "/usr/share/icons/hicolor/512x512/apps/atrium.png",
                "/usr/share/icons/hicolor/scalable/apps/atrium.svg");
        // never data or secrets, never a shared system directory owned by this package
        assertThat(files).noneMatch(f -> f.startsWith("/var/") || f.endsWith("admin.token") || f.endsWith("jwt.secret"));
        assertThat(files).doesNotContain("/usr", "/usr/bin", "/etc", "/usr/share/icons/hicolor", "/usr/lib/systemd/system");
        String listing = query("-lv");
        assertThat(listing.lines().filter(l -> !l.contains(" root     root ")).toList()).as("owned by root").isEmpty();
        assertThat(listing).containsPattern("-rwxr-xr-x .* /opt/atrium/bin/atrium-cli\n");
    }

    @Test
    void scriptletsCreateTheUserStartUnderSystemdOnlyAndKeepEverythingOnUpgradeAndErase(@TempDir Path tmp) throws Exception {
        Map<String, String> scripts = scriptlets(query("--scripts"));
        assertThat(scripts).containsKeys("preinstall", "postinstall", "preuninstall", "postuninstall");
        for (Map.Entry<String, String> s : scripts.entrySet()) {
            Path f = tmp.resolve(s.getKey());
            java.nio.file.Files.writeString(f, s.getValue());
            Commands.ok("sh", "-n", f.toString());
            assertThat(s.getValue()).as(s.getKey()).doesNotContainPattern("\\b(APPLICATION|DESKTOP|COMMON|LAUNCHER_AS)_[A-Z_]+\\b");
        }
        assertThat(scripts.get("preinstall")).contains("groupadd --system atrium", "useradd --system --gid atrium");
        assertThat(scripts.get("postinstall"))
                .contains("install -d -o atrium -g atrium -m 0710 /var/lib/atrium", "chmod 0640 /etc/atrium/atrium.yaml",
                        "xdg-desktop-menu install /opt/atrium/lib/atrium-atrium.desktop",
                        "if [ -d /run/systemd/system ]; then", "systemctl enable --now", "systemctl try-restart",
                        "sudo -u atrium atrium gateway")
                .doesNotContain("rm -", "chown -R");
        String preun = scripts.get("preuninstall");
        assertThat(preun.substring(preun.indexOf("if [ \"$1\" -eq 0 ]")))
                .contains("systemctl stop", "systemctl disable", "uninstall_menu_entries");
        // erase keeps config (as .rpmsave when edited), data, logs and the user: nothing deletes them
        assertThat(preun + scripts.get("postuninstall")).doesNotContain("rm -rf", "userdel", "/var/lib/atrium");
    }

    /** {@code rpm --scripts} output split into scriptlet name → body. */
    static Map<String, String> scriptlets(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            var header = java.util.regex.Pattern.compile("^(\\w+) scriptlet \\(using /bin/sh\\):$").matcher(line);
            if (header.matches()) {
                if (name != null) {
                    m.put(name, body.toString());
                }
                name = header.group(1);
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            m.put(name, body.toString());
        }
        return m;
    }
}
