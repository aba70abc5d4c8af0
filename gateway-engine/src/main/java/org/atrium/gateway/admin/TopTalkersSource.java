package org.atrium.gateway.admin;

import java.util.List;
import org.atrium.model.TopTalker;

/**
 * Who sends the most requests right now, for the console's quick-ban list. Implemented by the
 * traffic-control rate limiters, which already keep per-IP and per-user rates.
 */
@FunctionalInterface
public interface TopTalkersSource {
    /** Nothing measured yet: an empty list. */
    TopTalkersSource NONE = (kind, limit) -> List.of();

    /**
     * @param kind  {@code ip} or {@code user}
     * @param limit at most this many, highest rate first
     */
    List<TopTalker> top(String kind, int limit);
}
