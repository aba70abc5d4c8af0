package org.atrium.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A built package unpacked into a temporary root the way its installer lays it out, without root
 * rights and without running maintainer scripts: the .deb with {@code dpkg-deb -x}, the .rpm with
 * {@code rpm2cpio | cpio}, the .tar.gz with tar and its own {@code install.sh --root}.
 */
enum Extracted {
    DEB(".deb", "lib/systemd/system"),
    RPM(".rpm", "usr/lib/systemd/system"),
    TGZ(".tar.gz", "lib/systemd/system");

    final String suffix;
    final String unitDir;

    Extracted(String suffix, String unitDir) {
        this.suffix = suffix;
        this.unitDir = unitDir;
    }

    /** Whether this build made the package (the .rpm needs rpmbuild). */
    boolean built() throws IOException {
        try (var files = Files.list(BuiltDeb.dir())) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(suffix));
        }
    }

    Path extract(Path tmp) throws IOException {
        Path pkg = BuiltDeb.find(suffix);
        Path root = Files.createDirectories(tmp.resolve("root"));
        switch (this) {
            case DEB -> Commands.ok("dpkg-deb", "-x", pkg.toString(), root.toString());
            case RPM -> Commands.ok("sh", "-c", "cd \"$1\" && rpm2cpio \"$2\" | cpio -idm --quiet", "sh",
                    root.toString(), pkg.toString());
            case TGZ -> {
                Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
                Commands.ok("tar", "-xzf", pkg.toString(), "-C", unpacked.toString());
                Path dir;
                try (var dirs = Files.list(unpacked)) {
                    dir = dirs.findFirst().orElseThrow();
                }
                Commands.ok(dir.resolve("install.sh").toString(), "--root", root.toString());
            }
            default -> throw new IllegalStateException();
        }
        return root;
    }

    static List<Extracted> all() {
        return List.of(values());
    }
}
