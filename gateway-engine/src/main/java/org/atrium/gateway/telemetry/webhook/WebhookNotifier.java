package org.atrium.gateway.telemetry.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.atrium.gateway.telemetry.LazyHttpClient;
import org.atrium.gateway.telemetry.alert.AlertEvent;
import org.atrium.gateway.telemetry.alert.AlertListener;
import org.atrium.model.Json;

/**
 * Posts alert events to the configured webhooks. {@link #onAlert} only enqueues. Each webhook has
 * its own bounded queue delivered in order (a "resolved" never overtakes its "fired"), one request
 * at a time, retried with exponential backoff and jitter up to {@code maxAttempts}.
 */
public final class WebhookNotifier implements AlertListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebhookNotifier.class.getName());

    private final WebhookConfig config;
    private final Clock clock;
    private final List<Lane> lanes = new ArrayList<>();
    private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final LazyHttpClient client;
    private final ScheduledExecutorService timer;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    public WebhookNotifier(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = new LazyHttpClient(config.timeout(), httpExecutor);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-webhook-retry");
            t.setDaemon(true);
            return t;
        });
        for (WebhookTarget t : config.targets()) {
            lanes.add(new Lane(t));
        }
    }

    /** Enqueues the event for every webhook; never blocks, never throws. */
    @Override
    public void onAlert(AlertEvent event) {
        if (closed || !config.events().contains(event.type())) {
            return;
        }
        for (Lane lane : lanes) {
            lane.offer(event);
        }
    }

    /** Events delivered (2xx and, for robots, {@code errcode} 0) since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Events given up on: attempts exhausted or pushed out of a full queue. */
    public long dropped() {
        return dropped.get();
    }

    /** Events waiting or in flight, over all webhooks. */
    public int pending() {
        int n = 0;
        for (Lane l : lanes) {
            synchronized (l) {
                n += l.queue.size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        client.close();
        httpExecutor.shutdownNow();
    }

    private Duration backoff(int failedAttempts) {
        long base = config.initialBackoff().toMillis();
        long ms = Math.min(config.maxBackoff().toMillis(), base << Math.min(failedAttempts - 1, 20));
        return Duration.ofMillis(ms + ThreadLocalRandom.current().nextLong(ms / 5 + 1));
    }

    private static final class Delivery {
        final AlertEvent event;
        int attempts;

        Delivery(AlertEvent event) {
            this.event = event;
        }
    }

    /** One webhook's queue; {@code busy} while a request or a backoff wait is under way. */
    private final class Lane {
        final WebhookTarget target;
        final ArrayDeque<Delivery> queue = new ArrayDeque<>();
        boolean busy;
        boolean warnedFull;

        Lane(WebhookTarget target) {
            this.target = target;
        }

        void offer(AlertEvent event) {
            synchronized (this) {
                if (queue.size() >= config.queueCapacity()) {
                    // Drop the oldest waiting event, never the one in flight.
                    if (busy && queue.size() == 1) {
                        dropped.incrementAndGet();
                        return;
                    }
                    Delivery head = busy ? queue.pollFirst() : null;
                    queue.pollFirst();
                    if (head != null) {
                        queue.addFirst(head);
                    }
                    dropped.incrementAndGet();
                    if (!warnedFull) {
                        warnedFull = true;
                        LOG.log(Level.WARNING, "webhook {0} ({1}): queue full, dropping oldest alerts", target.url().getHost(),
                                target.format());
                    }
                }
                queue.addLast(new Delivery(event));
            }
            pump();
        }

        void pump() {
            Delivery d;
            synchronized (this) {
                if (busy || queue.isEmpty() || closed) {
                    return;
                }
                busy = true;
                d = queue.peekFirst();
            }
            send(d);
        }

        private void send(Delivery d) {
            d.attempts++;
            HttpRequest req;
            try {
                req = HttpRequest.newBuilder(url())
                        .timeout(config.timeout())
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "Atrium-Gateway")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                WebhookBodies.body(target.format(), d.event, clock.getZone()), StandardCharsets.UTF_8))
                        .build();
            } catch (RuntimeException e) {
                finished(d, false, "cannot build request: " + e.getMessage());
                return;
            }
            try {
                client.get().sendAsync(req, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((resp, err) -> {
                            if (err != null) {
                                finished(d, false, err.getClass().getSimpleName());
                            } else {
                                String why = rejection(resp);
                                finished(d, why == null, why);
                            }
                        });
            } catch (RuntimeException e) {
                finished(d, false, e.getClass().getSimpleName()); // client closed
            }
        }

        /** Null when the webhook accepted the event, else why not. */
        private String rejection(HttpResponse<String> resp) {
            if (resp.statusCode() / 100 != 2) {
                return "HTTP " + resp.statusCode();
            }
            if (target.format() == WebhookFormat.GENERIC) {
                return null;
            }
            // WeCom and DingTalk answer 200 with {"errcode": N, "errmsg": "..."}; N != 0 is a failure.
            try {
                JsonNode node = Json.mapper().readTree(resp.body());
                JsonNode code = node == null ? null : node.get("errcode");
                return code == null || code.asInt(0) == 0 ? null : "errcode " + code.asText();
            } catch (Exception e) {
                return null; // not JSON: a proxy in between; 2xx is good enough
            }
        }

        private void finished(Delivery d, boolean ok, String why) {
            // Out of the queue before it is counted: whoever sees it delivered (or dropped) never
            // still finds it pending.
            if (ok) {
                done(d);
                delivered.incrementAndGet();
                if (d.attempts > 1) {
                    LOG.log(Level.INFO, "webhook {0}: delivered {1} after {2} attempts", target.url().getHost(),
                            d.event.alert().id(), d.attempts);
                }
                return;
            }
            if (d.attempts >= config.maxAttempts() || closed) {
                done(d);
                dropped.incrementAndGet();
                LOG.log(Level.WARNING, "webhook {0}: giving up on {1} {2} after {3} attempts ({4})",
                        target.url().getHost(), d.event.type().wire(), d.event.alert().id(), d.attempts, why);
                return;
            }
            LOG.log(Level.DEBUG, "webhook {0}: attempt {1} failed ({2})", target.url().getHost(), d.attempts, why);
            try {
                timer.schedule(() -> send(d), backoff(d.attempts).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done(d); // closing
            }
        }

        private void done(Delivery d) {
            synchronized (this) {
                queue.remove(d);
                busy = false;
                if (queue.isEmpty()) {
                    warnedFull = false;
                }
            }
            pump();
        }

        private URI url() {
            if (target.format() != WebhookFormat.DINGTALK || target.secret() == null) {
                return target.url();
            }
            long ts = clock.millis();
            String sign = URLEncoder.encode(dingTalkSign(ts, target.secret()), StandardCharsets.UTF_8);
            String sep = target.url().getRawQuery() == null ? "?" : "&";
            return URI.create(target.url() + sep + "timestamp=" + ts + "&sign=" + sign);
        }
    }

    /** DingTalk's robot signature: Base64(HmacSHA256(secret, timestamp + "\n" + secret)). */
    static String dingTalkSign(long timestampMs, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((timestampMs + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sig);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
