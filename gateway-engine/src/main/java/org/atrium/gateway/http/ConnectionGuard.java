package org.atrium.gateway.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.ErrorCode;

/**
 * Deadlines and a connection cap for the data listener, which Helidon 4.5 does not give: a
 * connection still sending its request head after {@code server.header_timeout_seconds} is closed,
 * one idle between requests after {@code server.idle_timeout_seconds} too, one whose request body
 * stops arriving for {@code server.body_timeout_seconds} as well, and at
 * {@code server.max_connections} the connections that are not in a call (sending a head, or idle)
 * are closed, the longest-waiting first, to admit new callers. Only when every connection is in a
 * call is a new one refused, at once, with 503 {@code TOO_MANY_CONNECTIONS}. So a flood of slow or
 * idle sockets neither waits out the kernel's accept queue nor keeps {@code /health} from answering.
 *
 * <p>How: the listener's only connection selector is this guard's, so Helidon hands it every
 * accepted socket before reading a byte. Each connection gets a state, moved by the socket reads
 * (idle → head when a byte arrives), by {@link #filter()} (head → in a call → idle) and by a
 * sweeper thread that closes sockets past their deadline. A state change is a compare-and-set, so
 * the sweeper never closes a connection that has just started a call.
 */
public final class ConnectionGuard implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
    private static final ThreadLocal<Conn> CURRENT = new ThreadLocal<>(); // a connection is one thread
    private static final byte[] REFUSAL = refusal();

    static final int HEAD = 0;
    static final int BUSY = 1;
    static final int IDLE = 2;
    static final int CLOSED = 3;

    private final long headNanos;
    private final long idleNanos;
    private final long bodyNanos;
    private final int maxConnections;
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private final Object evictLock = new Object();
    private final ScheduledExecutorService sweeper;
    private final LongAdder headTimeouts = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder bodyTimeouts = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    public ConnectionGuard(Duration headTimeout, Duration idleTimeout, Duration bodyTimeout, int maxConnections) {
        this.headNanos = headTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.maxConnections = maxConnections;
        long shortest = Math.min(headTimeout.toMillis(), Math.min(idleTimeout.toMillis(), bodyTimeout.toMillis()));
        long period = Math.max(50, Math.min(1000, shortest / 8));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-connection-guard");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** The listener's connection selector: HTTP/1.1 as configured, each connection under this guard. */
    public ServerConnectionSelector selector(Http1Config http1) {
        ServerConnectionSelector http1Selector = Http1ConnectionSelector.builder().config(http1).build();
        return new ServerConnectionSelector() {
            @Override
            public int bytesToIdentifyConnection() {
                return 0;
            }

            @Override
            public Support supports(BufferData request) {
                return http1Selector.supports(request);
            }

            @Override
            public Set<String> supportedApplicationProtocols() {
                return http1Selector.supportedApplicationProtocols();
            }

            @Override
            public ServerConnection connection(ConnectionContext ctx) {
                return admit(ctx, http1Selector);
            }
        };
    }

    /** The data routing's outermost filter: marks the connection as in a call until the call ends. */
    public Filter filter() {
        return (FilterChain chain, RoutingRequest req, RoutingResponse res) -> {
            Conn c = CURRENT.get();
            if (c != null) {
                c.startCall();
            }
            try {
                chain.proceed();
            } finally {
                if (c != null) {
                    c.since = System.nanoTime();
                    c.compareAndSet(BUSY, IDLE);
                }
            }
        };
    }

    /** Connections open now (not yet closed by the guard or the caller). */
    public int open() {
        return open.size();
    }

    public long headTimeouts() {
        return headTimeouts.sum();
    }

    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    public long bodyTimeouts() {
        return bodyTimeouts.sum();
    }

    public long evicted() {
        return evicted.sum();
    }

    public long refused() {
        return refused.sum();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    private ServerConnection admit(ConnectionContext ctx, ServerConnectionSelector http1) {
        if (open.size() >= maxConnections && !evict()) {
            refused.increment();
            try {
                ctx.dataWriter().writeNow(BufferData.create(REFUSAL));
            } catch (RuntimeException e) {
                // the caller is gone already
            }
            return Refused.INSTANCE; // its handler returns at once and Helidon closes the socket
        }
        Conn c = new Conn(ctx);
        open.add(c);
        return new Guarded(c, http1.connection(c));
    }

    /**
     * At the cap: closes the connections that are not in a call, longest-waiting first, a batch at
     * a time (a flood at the cap then costs one scan per batch, not per new connection).
     * @return whether room was made
     */
    private boolean evict() {
        synchronized (evictLock) {
            if (open.size() < maxConnections) {
                return true;
            }
            // Sorted on a copy of each wait's start: the live values change under a concurrent sort.
            List<Waiting> waiting = new ArrayList<>();
            for (Conn c : open) {
                int st = c.state;
                if (st == HEAD || st == IDLE) {
                    waiting.add(new Waiting(c, c.since));
                }
            }
            waiting.sort(Comparator.comparingLong(Waiting::since));
            int batch = Math.max(1, maxConnections / 64);
            int closed = 0;
            for (Waiting w : waiting) {
                if (closed >= batch) {
                    break;
                }
                int st = w.conn().state;
                if ((st == HEAD || st == IDLE) && closeAs(w.conn(), st)) {
                    evicted.increment();
                    closed++;
                }
            }
            int done = closed;
            LOG.fine(() -> "At max_connections: closed " + done + " of " + waiting.size() + " connection(s) not in a call");
            return closed > 0;
        }
    }

    private record Waiting(Conn conn, long since) {
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Conn c : open) {
                int st = c.state;
                long waited = now - c.since;
                if (st == HEAD && waited > headNanos && closeAs(c, HEAD)) {
                    headTimeouts.increment();
                } else if (st == IDLE && waited > idleNanos && closeAs(c, IDLE)) {
                    idleTimeouts.increment();
                } else if (st == BUSY) {
                    long reading = c.bodyReadSince;
                    if (reading != 0 && now - reading > bodyNanos && closeAs(c, BUSY)) {
                        bodyTimeouts.increment(); // a request body that stopped arriving
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("Connection sweep failed: " + e);
        }
    }

    /** Closes the socket if the connection is still in {@code expected}; its reader then fails and Helidon ends it. */
    private boolean closeAs(Conn c, int expected) {
        if (!c.compareAndSet(expected, CLOSED)) {
            return false;
        }
        open.remove(c);
        try {
            c.ctx.serverSocket().close();
        } catch (RuntimeException e) {
            // already closed by the other side
        }
        return true;
    }

    private static byte[] refusal() {
        ErrorCode code = ErrorCode.TOO_MANY_CONNECTIONS;
        byte[] body = ErrorBodies.reference(new Rejection(code));
        byte[] head = ("HTTP/1.1 " + code.status() + " Service Unavailable\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** One accepted connection: Helidon's context with a reader that notes when a head begins. */
    final class Conn implements ConnectionContext {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Conn.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final ConnectionContext ctx;
        private final DataReader reader;
        volatile int state = HEAD; // a new connection has header_timeout to send its first head
        volatile long since = System.nanoTime();
        /** While a call waits for more of its request body: since when (0: not waiting). */
        volatile long bodyReadSince;

        Conn(ConnectionContext ctx) {
            this.ctx = ctx;
            this.reader = DataReader.create(this::read);
        }

        /** A head was read (or was already buffered behind the last call): in a call until it ends. */
        void startCall() {
            int st;
            do {
                st = state;
                if (st == CLOSED) {
                    throw new CloseConnectionException("closed by the connection guard");
                }
            } while (!compareAndSet(st, BUSY));
        }

        boolean compareAndSet(int expected, int next) {
            return STATE.compareAndSet(this, expected, next);
        }

        private byte[] read() {
            boolean body = state == BUSY; // in a call, the only reads are of its request body
            if (body) {
                bodyReadSince = System.nanoTime();
            }
            byte[] bytes;
            try {
                bytes = ctx.serverSocket().get();
            } catch (UncheckedIOException e) {
                throw new ServerConnectionException("Failed to get data from socket", e);
            } finally {
                if (body) {
                    bodyReadSince = 0;
                }
            }
            if (bytes != null && state == IDLE) {
                since = System.nanoTime(); // the next head has begun: it has header_timeout from now
                compareAndSet(IDLE, HEAD);
            }
            return bytes;
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public java.util.Optional<io.helidon.webserver.ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }

    /** Helidon's HTTP/1 connection, run with {@link #CURRENT} set and forgotten by the guard when it ends. */
    private final class Guarded implements ServerConnection {
        private final Conn conn;
        private final ServerConnection delegate;

        Guarded(Conn conn, ServerConnection delegate) {
            this.conn = conn;
            this.delegate = delegate;
        }

        @Override
        public void handle(Semaphore requestSemaphore) throws InterruptedException {
            run(() -> delegate.handle(requestSemaphore));
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            run(() -> delegate.handle(limit));
        }

        private void run(Handler h) throws InterruptedException {
            CURRENT.set(conn);
            try {
                h.handle();
            } finally {
                CURRENT.remove();
                conn.state = CLOSED;
                open.remove(conn);
            }
        }

        /** The guard closes idle connections itself, on its own clock; Helidon's idle check is not needed. */
        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    private interface Handler {
        void handle() throws InterruptedException;
    }

    /** A connection refused at the cap: nothing to handle. */
    private enum Refused implements ServerConnection {
        INSTANCE;

        @Override
        public void handle(Limit limit) {
        }

        @Override
        public void handle(Semaphore requestSemaphore) {
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
        }
    }
}
