package org.atrium.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {
    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            long second = r.nextLong(-62_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1_000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(i % 3 == 0 ? 1_764_650_000L + i / 7 : second, nano);
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
        Instant now = Instant.now();
        assertThat(InstantText.of(now)).isEqualTo(now.toString());
        assertThat(InstantText.of(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
    }
}
