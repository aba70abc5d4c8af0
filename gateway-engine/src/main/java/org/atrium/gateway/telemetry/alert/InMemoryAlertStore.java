package org.atrium.gateway.telemetry.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.model.AlertInfo;

/** Keeps the last {@code capacity} occurrences in memory; resolved ones are evicted first. */
public final class InMemoryAlertStore implements AlertStore {
    public static final int DEFAULT_CAPACITY = 1_000;

    private final int capacity;
    private final Map<String, AlertInfo> byKey = new LinkedHashMap<>();

    public InMemoryAlertStore() {
        this(DEFAULT_CAPACITY);
    }

    public InMemoryAlertStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void save(AlertInfo alert) {
        byKey.put(alert.id() + "@" + alert.firedAt(), alert);
        if (byKey.size() > capacity) {
            evictOne();
        }
    }

    private void evictOne() {
        for (Iterator<AlertInfo> it = byKey.values().iterator(); it.hasNext(); ) {
            if (!it.next().active()) {
                it.remove();
                return;
            }
        }
        Iterator<AlertInfo> it = byKey.values().iterator();
        it.next();
        it.remove();
    }

    @Override
    public synchronized List<AlertInfo> active() {
        return byKey.values().stream().filter(AlertInfo::active).sorted(NEWEST_FIRST).toList();
    }

    @Override
    public synchronized List<AlertInfo> history(int limit) {
        List<AlertInfo> all = new ArrayList<>(byKey.values());
        all.sort(NEWEST_FIRST);
        return List.copyOf(all.subList(0, Math.min(Math.max(limit, 0), all.size())));
    }

    private static final Comparator<AlertInfo> NEWEST_FIRST =
            Comparator.comparing(AlertInfo::firedAt).reversed().thenComparing(AlertInfo::id);
}
