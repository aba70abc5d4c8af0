package org.atrium.gateway.state.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.model.Ban;
import org.atrium.model.Json;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;

/**
 * The last state this node read from Redis, kept on local disk so the node can start (and keep
 * serving) while Redis is unreachable. Route records may hold upstream API keys, so the file is
 * written owner-only (0600), replaced atomically so a crash never leaves half a file.
 */
record LocalSnapshot(List<TenantSpec> tenants, List<RouteSpec> routes, List<Ban> bans, List<TokenInfo> tokens) {
    private static final Logger LOG = Logger.getLogger(LocalSnapshot.class.getName());
    private static final ObjectMapper JSON = Json.mapper();
    static final LocalSnapshot EMPTY = new LocalSnapshot(List.of(), List.of(), List.of(), List.of());

    LocalSnapshot {
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        routes = routes == null ? List.of() : List.copyOf(routes);
        bans = bans == null ? List.of() : List.copyOf(bans);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    LocalSnapshot withTenants(List<TenantSpec> t) {
        return new LocalSnapshot(t, routes, bans, tokens);
    }

    LocalSnapshot withRoutes(List<RouteSpec> r) {
        return new LocalSnapshot(tenants, r, bans, tokens);
    }

    LocalSnapshot withBans(List<Ban> b) {
        return new LocalSnapshot(tenants, routes, b, tokens);
    }

    LocalSnapshot withTokens(List<TokenInfo> t) {
        return new LocalSnapshot(tenants, routes, bans, t);
    }

    /** Reads the file; an absent or unreadable file gives the empty snapshot (logged). */
    static LocalSnapshot read(Path file) {
        if (file == null || !Files.exists(file)) {
            return EMPTY;
        }
        try {
            return JSON.readValue(file.toFile(), LocalSnapshot.class);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Ignoring unreadable state snapshot " + file + ": " + e.getMessage());
            return EMPTY;
        }
    }

    /** Writes the file atomically with mode 0600; failures are logged, never thrown (it is a cache). */
    void write(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp); // not POSIX (Windows): the data dir's ACL protects it
            }
            Files.write(tmp, JSON.writeValueAsBytes(this));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot write the state snapshot " + file + ": " + e.getMessage());
        }
    }
}
