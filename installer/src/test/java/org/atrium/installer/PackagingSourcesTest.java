package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Fast checks of the packaging sources, run by every {@code ./mvnw verify}: the maintainer script
 * templates, the systemd unit and the default configuration that {@code build.sh} puts in the .deb.
 * The built package itself is checked by {@link DebPackageIT} in the installer profile.
 */
class PackagingSourcesTest {
    private static final Path DEB = Commands.installerDir().resolve("src/deb");

    @ParameterizedTest
    @ValueSource(strings = {"postinst", "prerm", "postrm"})
    void maintainerScriptsAreExecutablePosixShellThatStopsOnErrors(String name) throws IOException {
        Path script = DEB.resolve("resources").resolve(name);
        String text = Files.readString(script);
        assertThat(text).startsWith("#!/bin/sh\n").contains("\nset -e\n");
        assertThat(Files.getPosixFilePermissions(script)).contains(PosixFilePermission.OWNER_EXECUTE);
        Commands.ok("sh", "-n", script.toString());
        // dash is /bin/sh on Debian: no bashisms.
        assertThat(text).doesNotContain("[[", "function ", "source ", "$'");
    }

    @Test
    void postinstCreatesTheServiceUserAndDirectoriesAndStartsTheServiceOnlyUnderSystemd() throws IOException {
        String postinst = Files.readString(DEB.resolve("resources/postinst"));
        assertThat(postinst)
                .contains("groupadd --system atrium")
                .contains("useradd --system --gid atrium")
                .contains("--shell /usr/sbin/nologin")
                .contains("install -d -o atrium -g atrium -m 0710 /var/lib/atrium")
                .contains("install -d -o atrium -g atrium -m 0750 /var/log/atrium")
                .contains("chmod 0640 /etc/atrium/atrium.yaml")
                .contains("if [ -d /run/systemd/system ]; then")
                .contains("systemctl enable --now \"$UNIT\"")
                .contains("systemctl try-restart \"$UNIT\"")
                .contains("DESKTOP_COMMANDS_INSTALL")
                .contains("install_menu_entries >/dev/null 2>&1 \\\n            || echo");
        // Idempotent on upgrade: never recursive chown/chmod or rm of the data.
        assertThat(postinst).doesNotContain("chown -R", "chmod -R", "rm -");
        // Without systemd nothing starts the gateway: postinst says how to.
        String noSystemd = postinst.substring(postinst.indexOf("        else\n            # No running systemd"));
        assertThat(noSystemd).contains("sudo -u atrium atrium gateway", "nohup atrium gateway");
    }

    @Test
    void prermStopsAndDisablesOnRemoveButKeepsTheServiceRunningOnUpgrade() throws IOException {
        String prerm = Files.readString(DEB.resolve("resources/prerm"));
        String remove = section(prerm, "remove|deconfigure)");
        assertThat(remove).contains("systemctl stop \"$UNIT\"").contains("systemctl disable \"$UNIT\"");
        assertThat(section(prerm, "upgrade)")).doesNotContain("systemctl");
    }

    @Test
    void postrmDeletesConfigDataLogsAndUserOnlyOnPurge() throws IOException {
        String postrm = Files.readString(DEB.resolve("resources/postrm"));
        String purge = section(postrm, "purge)");
        assertThat(purge).contains("rm -rf /etc/atrium /var/lib/atrium /var/log/atrium")
                .contains("userdel atrium").contains("groupdel atrium");
        assertThat(section(postrm, "remove)")).doesNotContain("rm ");
    }

    @Test
    void serviceUnitRunsTheGatewayAsItsOwnUserWithHardening() throws IOException {
        List<String> unit = Files.readAllLines(DEB.resolve("root/lib/systemd/system/atrium-gateway.service"));
        assertThat(unit).contains(
                "[Unit]", "[Service]", "[Install]",
                "User=atrium", "Group=atrium",
                "ExecStart=/opt/atrium/bin/atrium-gateway --config /etc/atrium/atrium.yaml --data-dir /var/lib/atrium",
                "Environment=ATRIUM_DATA_DIR=/var/lib/atrium",
                "Environment=ATRIUM_ADMIN_TOKEN_GROUP_READABLE=true",
                "Restart=on-failure",
                "RestartPreventExitStatus=2",
                "UMask=0077",
                "NoNewPrivileges=true",
                "ProtectSystem=strict",
                "ProtectHome=true",
                "PrivateTmp=true",
                "ReadWritePaths=/var/lib/atrium /var/log/atrium",
                "CapabilityBoundingSet=",
                "WantedBy=multi-user.target");
        // Each key=value line belongs to a section and has a key systemd knows the shape of.
        assertThat(unit).filteredOn(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("["))
                .allMatch(l -> l.matches("[A-Z][A-Za-z]+=.*"));
    }

    @Test
    void systemdAcceptsTheUnitWhereSystemdAnalyzeIsInstalled() {
        Path unit = DEB.resolve("root/lib/systemd/system/atrium-gateway.service");
        Commands.Result which = Commands.run(List.of("sh", "-c", "command -v systemd-analyze"));
        org.junit.jupiter.api.Assumptions.assumeTrue(which.exitCode() == 0, "systemd-analyze not installed");
        Commands.Result verify = Commands.run(List.of("systemd-analyze", "verify", unit.toString()));
        // The launcher only exists once the package is installed; any other complaint is a bug.
        assertThat(verify.output().lines()
                .filter(l -> !l.contains("/opt/atrium/bin/atrium-gateway is not executable"))
                .toList()).isEmpty();
    }

    @Test
    void defaultConfigKeepsTheAdminListenerOnLoopbackAndLogsUnderVarLog() throws IOException {
        String yaml = Files.readString(DEB.resolve("root/etc/atrium/atrium.yaml"));
        assertThat(yaml).contains("admin:\n  port: 8081").contains("  host: 127.0.0.1")
                .contains("file: /var/log/atrium/access.log")
                .doesNotContain("\t");
    }

    @Test
    void jpackageResourcesHaveTheNamesJpackageLooksFor() {
        // jpackage 25 silently ignores misnamed overrides; these are the names it reads (--verbose).
        for (String name : List.of("control", "copyright", "postinst", "prerm", "postrm",
                "atrium.desktop", "atrium-gateway.desktop")) {
            assertThat(DEB.resolve("resources").resolve(name)).isRegularFile();
        }
        assertThat(Commands.installerDir().resolve("src/jpackage/atrium-gateway.properties")).isRegularFile();
    }

    @Test
    void theAtriumCommandAndInstallShAreShellThatParses() throws IOException {
        for (Path script : List.of(Commands.installerDir().resolve("src/bin/atrium-cli"),
                Commands.installerDir().resolve("src/tgz/install.sh"))) {
            assertThat(Files.readString(script)).startsWith("#!/bin/sh\n").doesNotContain("[[", "source ");
            assertThat(Files.isExecutable(script)).as(script.toString()).isTrue();
            Commands.ok("sh", "-n", script.toString());
        }
        for (String script : List.of("atrium", "start.sh", "test.sh", "build-if-stale.sh", "jdk.sh")) {
            Commands.ok("bash", "-n", Commands.installerDir().resolveSibling("scripts/" + script).toString());
        }
    }

    @Test
    void startShPrintsItsHelpWithoutBuilding() {
        Commands.Result r = Commands.run(List.of(Commands.installerDir().resolveSibling("scripts/start.sh").toString(), "--help"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).startsWith("Usage: scripts/start.sh").contains("--config", "--data-dir")
                .doesNotContain("Building");
    }

    @Test
    void rpmSpecHasTheSameScriptletsAsTheDeb() throws IOException {
        String spec = Files.readString(Commands.installerDir().resolve("src/rpm/resources/atrium.spec"));
        assertThat(spec).contains("%pre\n", "%post\n", "%preun\n", "%postun\n", "%config(noreplace) /etc/atrium/atrium.yaml",
                "Recommends: google-noto-sans-cjk-fonts", "ATRIUM_SYSTEM_ROOT", "sudo -u atrium atrium gateway");
    }

    @Test
    void buildScriptIsValidBash() {
        Commands.ok("bash", "-n", Commands.installerDir().resolve("build.sh").toString());
        Commands.ok("bash", "-n", Commands.installerDir().resolveSibling("icons/generate.sh").toString());
    }

    /** The body of one {@code case} branch of a maintainer script, up to its {@code ;;}. */
    static String section(String script, String label) {
        int start = script.indexOf("\n    " + label);
        assertThat(start).as("case branch %s", label).isNotNegative();
        int end = script.indexOf(";;", start);
        return script.substring(start, end);
    }
}
