package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void aMessagelessConnectFailureIsWorded() {
        ConnectException inner = new ConnectException();
        inner.initCause(new ClosedChannelException());
        ConnectException outer = new ConnectException();
        outer.initCause(inner);
        assertThat(Failures.describe(outer))
                .isEqualTo("ConnectException (refused or unreachable) <- ClosedChannelException");
        assertThat(Failures.reason(outer)).isEqualTo(Failures.describe(outer));
    }

    @Test
    void ownMessagesAreKeptAndChainsBounded() {
        assertThat(Failures.reason(new IOException("HTTP 500"))).isEqualTo("HTTP 500");
        assertThat(Failures.describe(new UncheckedIOException("write failed", new IOException("Broken pipe"))))
                .isEqualTo("UncheckedIOException: write failed <- IOException: Broken pipe");
        Throwable deep = new IOException("x".repeat(200));
        for (int i = 0; i < 20; i++) {
            deep = new RuntimeException("y".repeat(200), deep);
        }
        assertThat(Failures.describe(deep).length()).isLessThan(800);
    }

    @Test
    void onlyTheFirstLineOfAMessageIsKept() {
        IllegalStateException e = new IllegalStateException("Protocol is not HTTP: \n|00000000| 54 54 50 |patient text|");
        assertThat(Failures.describe(e)).isEqualTo("IllegalStateException: Protocol is not HTTP:");
        assertThat(Failures.reason(new IOException("x".repeat(300)))).hasSize(201);
    }
}
