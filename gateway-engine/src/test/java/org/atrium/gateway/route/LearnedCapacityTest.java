package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearnedCapacityTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void unknownUntilTheFirstAnswerWithTokens() {
        LearnedCapacity c = new LearnedCapacity();
        assertThat(c.tokensPerSecond()).isNaN();
        assertThat(c.ttftMillis()).isNaN();
        c.observe(2, SECOND / 10, SECOND); // too few tokens to say anything about speed
        assertThat(c.tokensPerSecond()).isNaN();
        assertThat(c.ttftMillis()).isCloseTo(100.0, within(1e-9));
        assertThat(c.samples()).isZero();
    }

    @Test
    void movesTowardsNewSamplesByAlpha() {
        LearnedCapacity c = new LearnedCapacity();
        c.observe(100, SECOND / 5, SECOND);      // 100 tok/s, 200 ms
        assertThat(c.tokensPerSecond()).isCloseTo(100.0, within(1e-9));
        c.observe(100, SECOND / 10, 2 * SECOND); // 50 tok/s, 100 ms
        assertThat(c.tokensPerSecond()).isCloseTo(100.0 + LearnedCapacity.ALPHA * (50 - 100), within(1e-9));
        assertThat(c.ttftMillis()).isCloseTo(200.0 + LearnedCapacity.ALPHA * (100 - 200), within(1e-9));
        assertThat(c.samples()).isEqualTo(2);
    }

    @Test
    void settlesOnASlowBackendsSpeed() {
        LearnedCapacity c = new LearnedCapacity();
        c.observe(100, SECOND / 5, SECOND);
        for (int i = 0; i < 100; i++) {
            c.observe(40, SECOND / 5, SECOND);
        }
        assertThat(c.tokensPerSecond()).isCloseTo(40.0, within(0.01));
    }

    @Test
    void ignoresAnswersWithoutDecodeTime() {
        LearnedCapacity c = new LearnedCapacity();
        c.observe(100, 0, 0);
        assertThat(c.tokensPerSecond()).isNaN();
        assertThat(c.ttftMillis()).isNaN();
    }
}
