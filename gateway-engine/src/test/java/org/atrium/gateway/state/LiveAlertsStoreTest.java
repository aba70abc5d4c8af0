package org.atrium.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.atrium.model.AlertInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert occurrences in the embedded store: one row per id and firing, replaced on resolve, kept across reopen. */
class LiveAlertsStoreTest {
    @TempDir
    Path dir;

    @Test
    void occurrencesAndHistory() {
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        AlertInfo first = new AlertInfo("backend_down:chat", "backend_down", "critical", "chat", "down", t0, null, false);
        AlertInfo again = new AlertInfo("backend_down:chat", "backend_down", "critical", "chat", "down",
                t0.plusSeconds(3600).plusMillis(500), null, false);
        AlertInfo gpu = new AlertInfo("gpu_temperature:n1/0", "gpu_temperature", "warning", "n1/0", "hot",
                t0.plusSeconds(60), null, false);
        try (SqliteStateStore s = new SqliteStateStore(dir.resolve("a.db"), false, Clock.systemUTC())) {
            s.putAlert(first);
            s.putAlert(gpu);
            s.putAlert(new AlertInfo(first.id(), first.rule(), first.severity(), first.subject(), first.message(),
                    first.firedAt(), t0.plusSeconds(120), true));
            s.putAlert(again);
            assertThat(s.activeAlerts()).containsExactly(again, gpu);
            assertThat(s.alerts(10)).extracting(AlertInfo::firedAt)
                    .containsExactly(again.firedAt(), gpu.firedAt(), first.firedAt());
            assertThat(s.alerts(10).getLast().resolvedAt()).isEqualTo(t0.plusSeconds(120));
            assertThat(s.alerts(1)).containsExactly(again);
        }
        try (SqliteStateStore s = new SqliteStateStore(dir.resolve("a.db"), false, Clock.systemUTC())) {
            assertThat(s.activeAlerts()).hasSize(2);
        }
    }
}
