package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain .tar.gz and its install.sh, staged under a temporary root (--root: no users, no
 * services): the packages' layout; an upgrade keeps an edited configuration and the data;
 * --uninstall keeps configuration and data, --purge deletes them.
 */
class TarballIT {
    @Test
    void installUpgradeUninstallAndPurgeUnderARoot(@TempDir Path tmp) throws Exception {
        Path tgz = BuiltDeb.find(".tar.gz");
        assertThat(tgz.getFileName().toString()).isEqualTo("atrium-" + BuiltDeb.version() + "-linux-x64.tar.gz");
        Commands.ok("tar", "-xzf", tgz.toString(), "-C", tmp.toString());
        Path dir = tmp.resolve("atrium-" + BuiltDeb.version() + "-linux-x64");
        Path install = dir.resolve("install.sh");
        Commands.ok("sh", "-n", install.toString());
        assertThat(Commands.ok(install.toString(), "--help")).contains("--uninstall", "--purge");

        Path root = tmp.resolve("root");
        Commands.ok(install.toString(), "--root", root.toString());
        for (String f : new String[] {"opt/atrium/bin/atrium-gateway", "opt/atrium/bin/atrium-cli", "opt/atrium/bin/atrium",
                "lib/systemd/system/atrium-gateway.service", "etc/atrium/atrium.yaml",
                "usr/share/icons/hicolor/256x256/apps/atrium.png", "usr/share/icons/hicolor/scalable/apps/atrium.svg",
                "usr/share/applications/atrium.desktop", "opt/atrium/share/doc/README.md"}) {
            assertThat(root.resolve(f)).as(f).exists();
        }
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/atrium"))).isEqualTo(Path.of("/opt/atrium/bin/atrium-cli"));
        assertThat(Files.isDirectory(root.resolve("var/lib/atrium"))).isTrue();
        DesktopEntries.assertValid(root.resolve("usr/share/applications/atrium.desktop"));

        // upgrade: an edited config and the data stay; the new default lands beside the config
        Path config = root.resolve("etc/atrium/atrium.yaml");
        Files.writeString(config, Files.readString(config) + "# edited by the admin\n");
        Files.writeString(root.resolve("var/lib/atrium/jwt.secret"), "kept");
        String upgrade = Commands.ok(install.toString(), "--root", root.toString());
        assertThat(upgrade).contains("kept your /etc/atrium/atrium.yaml");
        assertThat(Files.readString(config)).contains("# edited by the admin");
        assertThat(root.resolve("etc/atrium/atrium.yaml.new")).exists();
        assertThat(root.resolve("var/lib/atrium/jwt.secret")).hasContent("kept");

        Commands.ok(install.toString(), "--root", root.toString(), "--uninstall");
        assertThat(root.resolve("opt/atrium")).doesNotExist();
        assertThat(root.resolve("usr/bin/atrium")).doesNotExist();
        assertThat(root.resolve("lib/systemd/system/atrium-gateway.service")).doesNotExist();
        assertThat(config).exists();
        assertThat(root.resolve("var/lib/atrium/jwt.secret")).exists();

        Commands.ok(install.toString(), "--root", root.toString(), "--purge");
        assertThat(root.resolve("etc/atrium")).doesNotExist();
        assertThat(root.resolve("var/lib/atrium")).doesNotExist();
    }
}
