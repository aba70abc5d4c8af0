package org.atrium.gateway.route;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.atrium.model.Balancer;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;

/** A route at run time: its spec and its backends, with the balancer that picks among them. */
public final class Route {
    private final RouteSpec spec;
    private final List<Backend> backends;
    private final AtomicLong cursor = new AtomicLong();
    private final Clock clock;
    private final RoomSignal room;
    private final InferencePicker inference;
    private final InferenceSettings settings;
    /** Smooth weighted round-robin state (nginx): one current weight per backend, by position. */
    private final int[] currentWeight;
    private final ReentrantLock weightLock = new ReentrantLock();

    Route(RouteSpec spec, List<Backend> backends) {
        this(spec, backends, Clock.systemUTC(), new RoomSignal(), InferenceSettings.DEFAULTS);
    }

    Route(RouteSpec spec, List<Backend> backends, Clock clock, RoomSignal room, InferenceSettings settings) {
        this.spec = spec;
        this.backends = List.copyOf(backends);
        this.clock = clock;
        this.room = room;
        this.settings = settings;
        this.inference = new InferencePicker(settings);
        this.currentWeight = new int[this.backends.size()];
    }

    public String id() {
        return spec.id();
    }

    public RouteSpec spec() {
        return spec;
    }

    public List<Backend> backends() {
        return backends;
    }

    /** The call's prompt-prefix profile when this route balances by inference, else {@link CallProfile#NONE}. */
    public CallProfile profile(byte[] body) {
        return spec.balancer() == Balancer.INFERENCE ? CallProfile.of(body, settings) : CallProfile.NONE;
    }

    /**
     * Chooses a backend for one call and takes one of its slots: among the available backends that
     * {@code permits} and that are under their {@code max_concurrency}, the balancer's pick. When all
     * are full it waits for a slot until {@code deadlineNanos} ({@link System#nanoTime()}), so a slow
     * backend's backlog never takes calls from the others. The other backends with room follow the
     * first in {@link Choice#order()} for failover (their slots are not taken: see {@link Choice#take}).
     */
    public Choice choose(CallProfile call, Predicate<Backend> permits, long deadlineNanos) {
        while (true) {
            long seen = room.version();
            List<Backend> live = new ArrayList<>(backends.size());
            List<Backend> withRoom = new ArrayList<>(backends.size());
            boolean anyAvailable = false;
            for (Backend b : backends) {
                if (!b.available()) {
                    continue;
                }
                anyAvailable = true;
                if (permits.test(b)) {
                    live.add(b);
                    if (b.hasRoom()) {
                        withRoom.add(b);
                    }
                }
            }
            if (live.isEmpty()) {
                return new Choice(List.of(), null, anyAvailable ? Outcome.ALL_REFUSED : Outcome.NONE_AVAILABLE);
            }
            if (!withRoom.isEmpty()) {
                InferencePicker.Pick p = pick(withRoom, call);
                if (p.backend().tryBegin()) {
                    p.backend().prefixes().served(call);
                    return new Choice(order(withRoom, p.backend()), p.decision(), Outcome.CHOSEN);
                }
                continue; // its last slot went to another call just now: choose again
            }
            if (!room.await(seen, deadlineNanos)) {
                return new Choice(List.of(), null, Outcome.ALL_FULL);
            }
        }
    }

    private static List<Backend> order(List<Backend> live, Backend first) {
        List<Backend> order = new ArrayList<>(live.size());
        order.add(first);
        for (Backend b : live) {
            if (b != first) {
                order.add(b);
            }
        }
        return order;
    }

    private InferencePicker.Pick pick(List<Backend> live, CallProfile call) {
        if (live.size() == 1) {
            return new InferencePicker.Pick(live.getFirst(), Decision.SINGLE);
        }
        int start = (int) Math.floorMod(cursor.getAndIncrement(), (long) live.size());
        return switch (spec.balancer()) {
            case ROUND_ROBIN -> new InferencePicker.Pick(live.get(start), Decision.ROUND_ROBIN);
            case LEAST_CONNECTIONS -> new InferencePicker.Pick(leastConnections(live, start), Decision.LEAST_CONNECTIONS);
            case WEIGHTED -> new InferencePicker.Pick(smoothWeighted(live), Decision.WEIGHTED);
            case INFERENCE -> inference.pick(live, call, clock.millis(), start);
        };
    }

    /**
     * This route's own settings for one of its backends: a backend (one server, one URL) is shared
     * by every route that names it (health, circuit, load), but weight and max_concurrency are each
     * route's own.
     */
    private BackendSpec own(Backend b) {
        return spec.backends().get(backends.indexOf(b));
    }

    private Backend leastConnections(List<Backend> live, int start) {
        Backend best = null;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < live.size(); i++) {
            Backend b = live.get((start + i) % live.size());
            double load = (double) b.inFlight() / Math.max(1, own(b).weight());
            if (load < bestLoad) {
                bestLoad = load;
                best = b;
            }
        }
        return best;
    }

    /**
     * nginx's smooth weighted round-robin: every backend's current weight grows by its weight, the
     * largest wins and drops by the total. Weights 5:1:1 give a a b a c a a, never a run of one
     * backend longer than its share demands. Backends without room or ejected sit the turn out.
     */
    private Backend smoothWeighted(List<Backend> live) {
        weightLock.lock();
        try {
            int total = 0;
            int bestIndex = -1;
            for (Backend b : live) {
                int i = backends.indexOf(b);
                int weight = spec.backends().get(i).weight();
                currentWeight[i] += weight;
                total += weight;
                if (bestIndex < 0 || currentWeight[i] > currentWeight[bestIndex]) {
                    bestIndex = i;
                }
            }
            if (total <= 0) {
                return live.getFirst();
            }
            currentWeight[bestIndex] -= total;
            return backends.get(bestIndex);
        } finally {
            weightLock.unlock();
        }
    }

    /**
     * The pool's capacity: the sum of the {@code max_concurrency} of the backends usable now (all of
     * them when none is, so the call reaches the proxy and gets an honest 503).
     */
    public int capacity() {
        int sum = 0;
        for (int i = 0; i < backends.size(); i++) {
            if (backends.get(i).available()) {
                sum += spec.backends().get(i).maxConcurrency();
            }
        }
        return sum > 0 ? sum : spec.capacity();
    }

    public int inFlight() {
        return backends.stream().mapToInt(Backend::inFlight).sum();
    }

    public boolean healthy() {
        return backends.stream().anyMatch(Backend::available);
    }

    /** How a {@link #choose} ended. */
    public enum Outcome {
        /** The first backend of the order holds a slot for the call. */
        CHOSEN,
        /** Every backend is ejected or failing its health check. */
        NONE_AVAILABLE,
        /** Backends are up but every one was refused (circuit open). */
        ALL_REFUSED,
        /** Every usable backend stayed at its {@code max_concurrency} until the deadline. */
        ALL_FULL
    }

    /**
     * A backend choice: the order to try (the first already holds a slot), why the first won.
     */
    public static final class Choice {
        private final List<Backend> order;
        private final Decision decision;
        private final Outcome outcome;
        private boolean firstTaken;

        Choice(List<Backend> order, Decision decision, Outcome outcome) {
            this.order = order;
            this.decision = decision;
            this.outcome = outcome;
        }

        public List<Backend> order() {
            return order;
        }

        public Decision decision() {
            return decision;
        }

        public Outcome outcome() {
            return outcome;
        }

        /**
         * Takes a slot on {@code backend} for an attempt: the first backend's slot was taken by the
         * choice; a failover backend's is taken now, false when it filled up meanwhile (skip it).
         */
        public boolean take(Backend backend) {
            if (!firstTaken && !order.isEmpty() && backend == order.getFirst()) {
                firstTaken = true;
                return true;
            }
            return backend.tryBegin();
        }
    }
}
