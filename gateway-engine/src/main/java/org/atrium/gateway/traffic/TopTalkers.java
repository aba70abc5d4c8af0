package org.atrium.gateway.traffic;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.atrium.gateway.Caches;
import org.atrium.gateway.admin.TopTalkersSource;
import org.atrium.gateway.http.DataPathService;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.model.TopTalker;

/**
 * Requests per minute by client IP and by user over a sliding minute (six 10-second slots), for
 * the console's quick-ban list. Bounded: at most {@code maxKeys} IPs and users each are tracked,
 * the least recently seen dropped first, so an address scan cannot grow memory.
 */
public final class TopTalkers implements DataPathService.ExchangeListener, TopTalkersSource {
    private static final int SLOTS = 6;
    private static final long SLOT_MILLIS = 10_000;

    private final Clock clock;
    private final Cache<String, Window> ips;
    private final Cache<String, Window> users;

    public TopTalkers(Clock clock, int maxKeys) {
        this.clock = clock;
        this.ips = Caches.onCallerThread().maximumSize(maxKeys).build();
        this.users = Caches.onCallerThread().maximumSize(maxKeys).build();
    }

    @Override
    public void completed(Exchange ex) {
        long now = clock.millis();
        String tenant = ex.tenantId();
        if (ex.clientIp() != null) {
            ips.get(ex.clientIp(), k -> new Window()).add(now, tenant);
        }
        if (ex.userId() != null && tenant != null) {
            users.get(tenant + "/" + ex.userId(), k -> new Window()).add(now, tenant);
        }
    }

    @Override
    public List<TopTalker> top(String kind, int limit) {
        boolean user = "user".equals(kind);
        long now = clock.millis();
        Map<String, Window> source = (user ? users : ips).asMap();
        return source.entrySet().stream()
                .map(e -> {
                    Window w = e.getValue();
                    String key = user ? e.getKey().substring(e.getKey().indexOf('/') + 1) : e.getKey();
                    return new TopTalker(user ? "user" : "ip", key, w.tenant(), w.perMinute(now));
                })
                .filter(t -> t.requestsPerMinute() > 0)
                .sorted(Comparator.comparingDouble(TopTalker::requestsPerMinute).reversed())
                .limit(Math.max(0, limit))
                .toList();
    }

    /** Counts in six 10-second slots; a slot is reused once its time has passed. */
    static final class Window {
        private final long[] slotIds = new long[SLOTS];
        private final long[] counts = new long[SLOTS];
        private volatile String tenant;

        synchronized void add(long nowMillis, String lastTenant) {
            long id = nowMillis / SLOT_MILLIS;
            int i = (int) (id % SLOTS);
            if (slotIds[i] != id) {
                slotIds[i] = id;
                counts[i] = 0;
            }
            counts[i]++;
            if (lastTenant != null) {
                tenant = lastTenant;
            }
        }

        synchronized double perMinute(long nowMillis) {
            long id = nowMillis / SLOT_MILLIS;
            long sum = 0;
            for (int i = 0; i < SLOTS; i++) {
                if (id - slotIds[i] < SLOTS) {
                    sum += counts[i];
                }
            }
            return sum;
        }

        String tenant() {
            return tenant;
        }
    }
}
