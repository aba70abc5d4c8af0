package org.atrium.console.view;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The console's one notion of time: the instant of the given clock, in the gateway's quota zone
 * once the gateway has said which (until then the console's own). "Today", quota bars, usage ranges
 * and every time shown go through it, so a console in UTC and a gateway in Asia/Shanghai agree on
 * what today is. Read from any thread; the zone is set on the UI thread.
 */
public final class GatewayClock extends Clock {
    private final Clock base;
    private final ObjectProperty<ZoneId> zone;
    private volatile ZoneId current;

    public GatewayClock(Clock base) {
        this.base = base;
        this.current = base.getZone();
        this.zone = new SimpleObjectProperty<>(current);
        zone.addListener((o, a, b) -> current = b == null ? base.getZone() : b);
    }

    /** Takes the zone a gateway reports ({@code GatewayStatus.quotaZone}); unknown or missing ids are ignored. */
    public void useGatewayZone(String id) {
        if (id == null || id.isBlank()) {
            return;
        }
        try {
            zone.set(ZoneId.of(id));
        } catch (DateTimeException e) {
            // a zone this JDK does not know: keep the one we have rather than guess
        }
    }

    public ObjectProperty<ZoneId> zoneProperty() {
        return zone;
    }

    @Override
    public ZoneId getZone() {
        return current;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return base.withZone(z);
    }

    @Override
    public Instant instant() {
        return base.instant();
    }
}
