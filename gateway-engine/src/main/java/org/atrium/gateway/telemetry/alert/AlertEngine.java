package org.atrium.gateway.telemetry.alert;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.atrium.model.AlertInfo;

/**
 * Evaluates the rules over a snapshot (call {@link #evaluate} once a second) and turns conditions
 * into alerts: a condition must hold for its rule's sustain time to fire, and stay clear for
 * {@code resolveAfter} to resolve, so each incident fires once and resolves once. Alerts active in
 * the store at start are adopted, so a restart neither re-fires nor forgets them.
 */
public final class AlertEngine {
    private static final System.Logger LOG = System.getLogger(AlertEngine.class.getName());

    private final AlertRulesConfig config;
    private final AlertStore store;
    private final Clock clock;
    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, AlertInfo> active = new LinkedHashMap<>();
    private final Map<String, Instant> pendingSince = new HashMap<>();
    private final Map<String, Instant> clearSince = new HashMap<>();

    public AlertEngine(AlertRulesConfig config, AlertStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        for (AlertInfo a : store.active()) {
            active.putIfAbsent(a.id(), a);
        }
    }

    public void addListener(AlertListener listener) {
        listeners.add(listener);
    }

    /** Applies the rules to one snapshot; returns the events it caused (also sent to listeners). */
    public List<AlertEvent> evaluate(TelemetrySnapshot snapshot) {
        List<AlertEvent> events = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            List<Observation> observations = Rules.evaluate(snapshot, config, active::containsKey);
            Set<String> seen = new HashSet<>();
            for (Observation o : observations) {
                String id = o.id();
                if (!seen.add(id)) {
                    continue; // the same subject twice in one snapshot: first wins
                }
                if (o.holds() == null) {
                    continue; // no usable data: keep whatever state we had
                }
                if (o.holds()) {
                    clearSince.remove(id);
                    if (!active.containsKey(id)) {
                        Instant since = pendingSince.computeIfAbsent(id, k -> now);
                        if (!now.isBefore(since.plus(o.sustain()))) {
                            pendingSince.remove(id);
                            events.add(fire(o, id, now));
                        }
                    }
                } else {
                    pendingSince.remove(id);
                    clearing(id, now, events);
                }
            }
            // Subjects that vanished (backend removed, tenant idle) count as clear.
            pendingSince.keySet().retainAll(seen);
            for (String id : new ArrayList<>(active.keySet())) {
                if (!seen.contains(id)) {
                    clearing(id, now, events);
                }
            }
            clearSince.keySet().retainAll(active.keySet());
        }
        publish(events);
        return events;
    }

    private void clearing(String id, Instant now, List<AlertEvent> events) {
        AlertInfo a = active.get(id);
        if (a == null) {
            return;
        }
        Instant since = clearSince.computeIfAbsent(id, k -> now);
        if (!now.isBefore(since.plus(config.resolveAfter()))) {
            clearSince.remove(id);
            active.remove(id);
            AlertInfo resolved = new AlertInfo(a.id(), a.rule(), a.severity(), a.subject(), a.message(), a.firedAt(),
                    now, a.acknowledged());
            store.save(resolved);
            LOG.log(Level.INFO, "alert resolved: {0} ({1}) after {2} s", id, a.message(),
                    Duration.between(a.firedAt(), now).toSeconds());
            events.add(new AlertEvent(AlertEvent.Type.RESOLVED, resolved));
        }
    }

    private AlertEvent fire(Observation o, String id, Instant now) {
        AlertInfo a = new AlertInfo(id, o.rule().id(), o.severity(), o.subject(), o.message(), now, null, false);
        active.put(id, a);
        store.save(a);
        LOG.log(Level.WARNING, "alert fired: {0} [{1}] {2}", id, o.severity(), o.message());
        return new AlertEvent(AlertEvent.Type.FIRED, a);
    }

    /** Marks an active alert as seen by staff; it still resolves by itself. Empty if not active. */
    public Optional<AlertInfo> acknowledge(String id) {
        AlertInfo acked;
        synchronized (this) {
            AlertInfo a = active.get(id);
            if (a == null) {
                return Optional.empty();
            }
            if (a.acknowledged()) {
                return Optional.of(a);
            }
            acked = new AlertInfo(a.id(), a.rule(), a.severity(), a.subject(), a.message(), a.firedAt(), null, true);
            active.put(id, acked);
            store.save(acked);
        }
        LOG.log(Level.INFO, "alert acknowledged: {0}", id);
        publish(List.of(new AlertEvent(AlertEvent.Type.ACKNOWLEDGED, acked)));
        return Optional.of(acked);
    }

    /** Active alerts, most severe then newest first; what a live frame shows. */
    public synchronized List<AlertInfo> active() {
        List<AlertInfo> out = new ArrayList<>(active.values());
        out.sort(Comparator.comparing((AlertInfo a) -> a.severity().equals("critical") ? 0 : 1)
                .thenComparing(AlertInfo::firedAt, Comparator.reverseOrder()).thenComparing(AlertInfo::id));
        return out;
    }

    /** History from the store, newest first. */
    public List<AlertInfo> history(int limit) {
        return store.history(limit);
    }

    private void publish(List<AlertEvent> events) {
        for (AlertEvent e : events) {
            for (AlertListener l : listeners) {
                try {
                    l.onAlert(e);
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "alert listener failed on " + e.alert().id(), ex);
                }
            }
        }
    }
}
