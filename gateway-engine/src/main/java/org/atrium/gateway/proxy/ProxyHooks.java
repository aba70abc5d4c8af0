package org.atrium.gateway.proxy;

import java.util.function.Supplier;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.route.Backend;

/**
 * What traffic control plugs into the proxy: which backends may be tried (circuit breakers), a
 * guard around each attempt, and a sink that captures cacheable answers. The defaults do nothing.
 */
public interface ProxyHooks {
    ProxyHooks NONE = new ProxyHooks() {
    };

    /** Whether {@code backend} may be tried now. */
    default boolean permits(Backend backend) {
        return true;
    }

    /**
     * Runs one attempt (connect, send, read the status line). The attempt throws on failure,
     * including 502/503/504 answers; throw {@link Skip} to refuse it without counting.
     */
    default <T> T guard(Backend backend, Supplier<T> attempt) {
        return attempt.get();
    }

    /** A sink for the bytes of an answer that should be cached, or null. */
    default AnswerSink capture(Exchange exchange, int status, String contentType) {
        return null;
    }

    /** Receives an answer's bytes as they are relayed. */
    interface AnswerSink {
        void accept(byte[] buf, int off, int len);

        /** The whole answer was relayed successfully. */
        void complete();
    }

    /** The attempt was refused before anything was sent (e.g. its circuit is open). */
    final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Skip(String why) {
            super(why, null, false, false);
        }
    }
}
