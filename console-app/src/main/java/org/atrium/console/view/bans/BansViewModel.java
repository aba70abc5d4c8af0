package org.atrium.console.view.bans;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Problem;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.TopTalker;

/** Active bans with time left, adding and removing them, and the top-talkers list for quick bans. */
public final class BansViewModel {
    /** Duration presets of the add dialog; {@link Duration#ZERO} means until removed. */
    public static final List<Duration> PRESETS = List.of(Duration.ofMinutes(15), Duration.ofHours(1),
            Duration.ofHours(24), Duration.ofDays(7), Duration.ZERO);
    public static final Duration QUICK_BAN = Duration.ofHours(1);

    private final AdminClient client;
    private final Async.Tracker tracker;
    private final Clock clock;
    private final ObservableList<Ban> bans = FXCollections.observableArrayList();
    private final ObservableList<TopTalker> talkers = FXCollections.observableArrayList();

    public BansViewModel(AdminClient client, Async async, Clock clock) {
        this.client = client;
        this.tracker = async.tracker();
        this.clock = clock;
    }

    private record Loaded(List<Ban> bans, List<TopTalker> talkers) { }

    public void refresh() {
        tracker.run(() -> {
            List<TopTalker> t = new java.util.ArrayList<>(client.topTalkers("ip", 20));
            t.addAll(client.topTalkers("user", 20));
            t.sort((a, b) -> Double.compare(b.requestsPerMinute(), a.requestsPerMinute()));
            return new Loaded(client.bans(null), t);
        }, l -> {
            bans.setAll(l.bans());
            talkers.setAll(l.talkers());
        });
    }

    public void add(BanType type, String target, String reason, Duration duration, Runnable onAdded) {
        tracker.run(() -> client.addBan(new BanRequest(type, target == null ? null : target.strip(),
                reason == null || reason.isBlank() ? null : reason.strip(),
                duration == null || duration.isZero() ? null : duration.toSeconds())), ban -> {
            onAdded.run();
            refresh();
        });
    }

    public void quickBan(TopTalker talker, String reason) {
        BanType type = "user".equalsIgnoreCase(talker.kind()) ? BanType.USER : BanType.IP;
        add(type, talker.key(), reason, QUICK_BAN, () -> { });
    }

    public void remove(Ban ban) {
        tracker.run(() -> {
            client.removeBan(ban.type(), ban.target());
            return ban;
        }, b -> refresh());
    }

    /** The ban already in force for this talker (same kind and key), or null. */
    public Ban banOf(TopTalker t) {
        BanType type = "user".equalsIgnoreCase(t.kind()) ? BanType.USER : BanType.IP;
        return bans.stream().filter(b -> b.type() == type && b.target().equals(t.key())).findFirst().orElse(null);
    }

    /** Time left, or null for a ban until removed; never negative. */
    public Duration remaining(Ban ban) {
        if (ban.expiresAt() == null) {
            return null;
        }
        Duration d = Duration.between(Instant.now(clock), ban.expiresAt());
        return d.isNegative() ? Duration.ZERO : d;
    }

    public ObservableList<Ban> bans() { return bans; }
    public ObservableList<TopTalker> talkers() { return talkers; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
