package org.atrium.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.http.ErrorBodies;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;

/**
 * {@code WS /admin/v1/live}. A caller authenticates with {@code Authorization: Bearer <admin token
 * or admin/auditor JWT>} on the upgrade, or, when the upgrade had no such header (browsers cannot
 * set one), with a first text message {@code {"token": "..."}} within the auth timeout. A foreign
 * {@code Origin} is refused: only none, {@code http(s)://127.0.0.1|localhost|[::1]:*} and the
 * configured admin host are accepted, so a web page in an admin's browser cannot read the feed.
 *
 * <p>Helidon 4.5 runs an upgrade request through the HTTP filters before switching protocols, and
 * itself refuses (403) an {@code Origin} whose authority is not the request's {@code Host}. The
 * {@link #upgradeGuard() guard filter} answers a refused upgrade with the usual 401/403 error body,
 * so clients see why; a plain GET gets the same answers from the route registered by {@link #routing}.
 */
public final class LiveFeedEndpoint implements HttpService {
    public static final String PATH = "/live";
    private static final Logger LOG = Logger.getLogger(LiveFeedEndpoint.class.getName());
    private static final int MAX_AUTH_MESSAGE = 16 * 1024;

    private final LiveFeed feed;
    private final AdminAuth auth;
    private final String adminHost;
    private final Duration authTimeout;
    private final ScheduledExecutorService timer;

    /**
     * @param adminHost the admin listener's configured host, also accepted as an origin host
     * @param timer     runs the auth timeouts (the tick's scheduler is fine: the task is tiny)
     */
    public LiveFeedEndpoint(LiveFeed feed, AdminAuth auth, String adminHost, Duration authTimeout,
                            ScheduledExecutorService timer) {
        this.feed = feed;
        this.auth = auth;
        this.adminHost = adminHost == null ? "" : adminHost.toLowerCase(Locale.ROOT);
        this.authTimeout = authTimeout;
        this.timer = timer;
    }

    /** A listener per connection, for {@code WsRouting.builder().endpoint(path, endpoint::newListener)}. */
    public WsListener newListener() {
        return new Connection();
    }

    /** The plain-HTTP side of the path: reached only when the upgrade was refused or not asked for. */
    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::refused);
    }

    /**
     * A filter for the admin routing: refuses a WebSocket upgrade to the live path whose origin or
     * {@code Authorization} is not acceptable, before the protocol switches.
     */
    public Filter upgradeGuard() {
        return (chain, req, res) -> {
            if (req.path().path().endsWith("/admin/v1" + PATH)
                    && req.headers().first(HeaderNames.UPGRADE).map("websocket"::equalsIgnoreCase).orElse(false)) {
                Rejection r = rejection(req);
                if (r != null) {
                    ErrorBodies.send(res, r, false, null);
                    return;
                }
            }
            chain.proceed();
        };
    }

    private void refused(ServerRequest req, ServerResponse res) {
        Rejection r = rejection(req);
        ErrorBodies.send(res, r != null ? r : new Rejection(ErrorCode.BAD_REQUEST, "WebSocket upgrade required"), false, null);
    }

    /** Why this request may not open the feed, or null: a foreign origin, or a bad Authorization header. */
    private Rejection rejection(ServerRequest req) {
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        if (!originAllowed(origin)) {
            return new Rejection(ErrorCode.FORBIDDEN, "Origin not allowed");
        }
        if (req.headers().contains(HeaderNames.AUTHORIZATION)) {
            try {
                auth.authenticate(req);
            } catch (Rejection r) {
                return r;
            }
        }
        return null;
    }

    /** Absent, loopback, or the configured admin host; any scheme but http(s) is foreign. */
    boolean originAllowed(String origin) {
        if (origin == null) {
            return true;
        }
        URI u;
        try {
            u = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getRawUserInfo() != null) {
            return false;
        }
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                || (!adminHost.isEmpty() && !adminHost.equals("0.0.0.0") && !adminHost.equals("::")
                && host.equals(adminHost));
    }

    private static String address(WsSession session) {
        return session.socketContext().remotePeer().address() instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress() : "unknown";
    }

    /** One connection's state: authenticated by header, by first message, or not yet. */
    private final class Connection implements WsListener {
        private volatile AdminAuth.Caller caller;
        private volatile LiveClient client;
        private volatile ScheduledFuture<?> timeout;
        private final StringBuilder pending = new StringBuilder();

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            if (!originAllowed(headers.first(HeaderNames.ORIGIN).orElse(null))) {
                throw new WsUpgradeException("origin not allowed");
            }
            String header = headers.first(HeaderNames.AUTHORIZATION).orElse(null);
            if (header != null) {
                try {
                    caller = auth.authenticate(header, "ws-upgrade");
                } catch (Rejection r) {
                    throw new WsUpgradeException("unauthorized");
                }
            }
            return Optional.empty();
        }

        @Override
        public void onOpen(WsSession session) {
            if (caller != null) {
                admit(session, caller.actor());
                return;
            }
            try {
                timeout = timer.schedule(() -> {
                    if (client == null) {
                        refuse(session, "authentication timeout");
                    }
                }, authTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                refuse(session, "gateway stopping");
            }
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            if (client != null || caller != null) {
                return; // the feed is one-way; ignore chatter
            }
            if (pending.length() + text.length() > MAX_AUTH_MESSAGE) {
                refuse(session, "unauthorized");
                return;
            }
            pending.append(text);
            if (!last) {
                return;
            }
            String token = null;
            try {
                JsonNode n = Json.mapper().readTree(pending.toString());
                token = n != null && n.path("token").isTextual() ? n.path("token").asText() : null;
            } catch (Exception e) {
                // not JSON: refused below
            }
            pending.setLength(0);
            AdminAuth.Caller c = null;
            if (token != null && !token.isBlank()) {
                try {
                    c = auth.authenticate("Bearer " + token, address(session));
                } catch (Rejection r) {
                    c = null;
                }
            }
            if (c == null) {
                refuse(session, "unauthorized");
                return;
            }
            caller = c;
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            admit(session, c.actor());
        }

        private void admit(WsSession session, String actor) {
            LiveClient c = feed.join(session, actor + "@" + address(session));
            if (c == null) {
                refuseWith(session, WsCloseCodes.TRY_AGAIN_LATER, "too many live clients");
                return;
            }
            client = c;
        }

        private void refuse(WsSession session, String reason) {
            refuseWith(session, WsCloseCodes.VIOLATED_POLICY, reason);
        }

        private void refuseWith(WsSession session, int code, String reason) {
            LOG.log(Level.FINE, () -> "Live feed: refusing " + address(session) + ": " + reason);
            try {
                session.close(code, reason);
            } catch (RuntimeException ignored) {
                // already gone
            }
            if (session instanceof ServerConnection sc) {
                sc.close(true);
            }
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            ended();
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            ended();
        }

        private void ended() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            LiveClient c = client;
            if (c != null) {
                c.closedByPeer();
            }
        }
    }
}
