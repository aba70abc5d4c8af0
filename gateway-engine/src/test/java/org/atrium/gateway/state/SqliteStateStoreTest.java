package org.atrium.gateway.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;

/** The embedded store against the shared contract. */
class SqliteStateStoreTest extends StateStoreContract {
    @Override
    protected StateStore open(Clock clock) {
        try {
            var dir = Files.createTempDirectory("atrium-sqlite");
            dir.toFile().deleteOnExit();
            return new SqliteStateStore(dir.resolve("atrium.db"), false, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
