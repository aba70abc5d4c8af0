package org.atrium.gateway.http;

import io.helidon.common.mapper.MapperManager;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Process-wide Helidon settings the data path depends on for speed.
 *
 * <p>Helidon 4.2 resolves the global {@link MapperManager} through the service registry on every
 * typed header read ({@code Headers.contentLength()} and friends, several per proxied call on the
 * server and client side) unless one was installed explicitly. The bench's JFR profile put that
 * lookup at ~18 % of the gateway's CPU under load (fixed upstream in Helidon 4.3, which this
 * machine's Maven mirror does not fully carry). Installing the manager once makes each read a
 * field load.
 */
public final class HelidonTuning {
    private static final AtomicBoolean APPLIED = new AtomicBoolean();

    private HelidonTuning() {
    }

    /** Idempotent; call before the first server or client is built. */
    public static void apply() {
        if (APPLIED.compareAndSet(false, true)) {
            MapperManager.global(MapperManager.create());
        }
    }
}
