package org.atrium.gateway.traffic;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.atrium.model.Priority;

/**
 * Admission to one backend pool. While the pool has free capacity a call goes straight through;
 * when it is full the call waits. Free slots go to waiting calls by priority class first (high,
 * normal, low), then by start-time fair queueing between tenants: each waiting call starts at
 * {@code max(virtual time, tenant's previous finish)} and finishes {@code 1/weight} later, the
 * smallest start goes next, and virtual time follows the dispatched starts. A flooding tenant's backlog therefore carries ever larger tags
 * and cannot push a newly arriving call of another tenant back by more than that tenant's share,
 * while it still gets every slot nobody else wants (work-conserving).
 *
 * <p>Waiting parks the caller's virtual thread on a future; no platform thread is held. A
 * {@link ReentrantLock} (not {@code synchronized}) keeps virtual threads unpinned on Java 21.
 */
public final class FairShareQueue {
    /** Why a call was not admitted. */
    public enum Refusal { FULL, TIMEOUT }

    /** Thrown when the call is not admitted. */
    public static final class NotAdmitted extends Exception {
        private static final long serialVersionUID = 1L;
        private final Refusal refusal;

        NotAdmitted(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** A held slot in the pool; closing it passes the slot to the next waiting call. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Waiter {
        final String tenant;
        final double tag;
        final long seq;
        final CompletableFuture<Void> granted = new CompletableFuture<>();

        Waiter(String tenant, double tag, long seq) {
            this.tenant = tenant;
            this.tag = tag;
            this.seq = seq;
        }
    }

    private static final Comparator<Waiter> ORDER = Comparator.<Waiter>comparingDouble(w -> w.tag)
            .thenComparingLong(w -> w.seq);

    private final ReentrantLock lock = new ReentrantLock();
    @SuppressWarnings("unchecked")
    private final PriorityQueue<Waiter>[] waiting = new PriorityQueue[Priority.values().length];
    private final double[] virtualTime = new double[Priority.values().length];
    @SuppressWarnings("unchecked")
    private final Map<String, Double>[] lastTag = new Map[Priority.values().length];
    private int capacity;
    private int inUse;
    private int waitingCount;
    private long seq;
    private long admitted;
    private long queued;
    private long timedOut;
    private long rejectedFull;

    public FairShareQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
        for (int i = 0; i < waiting.length; i++) {
            waiting[i] = new PriorityQueue<>(ORDER);
            lastTag[i] = new HashMap<>();
        }
    }

    /**
     * Admits a call of {@code tenant} (weight, priority) or waits up to {@code timeout} for a slot.
     *
     * @param capacity the pool's current capacity (routes can be edited at run time)
     * @param maxQueue how many calls may wait at most
     */
    public Permit admit(String tenant, int weight, Priority priority, int capacity, int maxQueue, Duration timeout)
            throws NotAdmitted {
        Waiter w;
        lock.lock();
        try {
            this.capacity = Math.max(1, capacity);
            if (inUse < this.capacity && waitingCount == 0) {
                inUse++;
                admitted++;
                return permit();
            }
            if (waitingCount >= maxQueue) {
                rejectedFull++;
                throw new NotAdmitted(Refusal.FULL);
            }
            int p = priority.ordinal();
            // Start-time fair queueing: order by start tag, the tenant's next start is this finish.
            double start = Math.max(virtualTime[p], lastTag[p].getOrDefault(tenant, 0.0));
            w = new Waiter(tenant, start, seq++);
            lastTag[p].put(tenant, start + 1.0 / Math.max(1, weight));
            waiting[p].add(w);
            waitingCount++;
            queued++;
            dispatch(); // capacity may have grown since the last release
        } finally {
            lock.unlock();
        }
        try {
            w.granted.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return permit();
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            lock.lock();
            try {
                if (w.granted.isDone()) {
                    return permit(); // granted just as the wait ended: keep the slot
                }
                if (waiting[priority.ordinal()].remove(w)) {
                    waitingCount--;
                }
                timedOut++;
            } finally {
                lock.unlock();
            }
            throw new NotAdmitted(Refusal.TIMEOUT);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Permit permit() {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                release();
            }
        };
    }

    private void release() {
        lock.lock();
        try {
            inUse--;
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** Hands free slots to waiting calls; call with the lock held. */
    private void dispatch() {
        while (inUse < capacity && waitingCount > 0) {
            for (int p = 0; p < waiting.length; p++) {
                Waiter next = waiting[p].poll();
                if (next != null) {
                    waitingCount--;
                    virtualTime[p] = Math.max(virtualTime[p], next.tag);
                    if (waiting[p].isEmpty()) {
                        lastTag[p].clear(); // idle class: nobody carries credit or debt into the next busy period
                    }
                    inUse++;
                    admitted++;
                    next.granted.complete(null);
                    break;
                }
            }
        }
    }

    /** Calls waiting now. */
    public int waiting() {
        lock.lock();
        try {
            return waitingCount;
        } finally {
            lock.unlock();
        }
    }

    /** Calls holding a slot now. */
    public int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** Counters for metrics: admitted, queued, timed out, rejected because the queue was full. */
    public long[] counters() {
        lock.lock();
        try {
            return new long[] {admitted, queued, timedOut, rejectedFull};
        } finally {
            lock.unlock();
        }
    }
}
