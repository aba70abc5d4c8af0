package org.atrium.gateway.route;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * "A backend slot was freed": lets a call whose backends are all at {@code max_concurrency} wait
 * for room instead of piling onto a full one. Lock-free when nobody waits (every call's end
 * passes here); a {@link ReentrantLock} keeps waiting virtual threads unpinned.
 */
final class RoomSignal {
    /** Waiters look again at least this often (an ejection may end without any call ending). */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicLong version = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();

    long version() {
        return version.get();
    }

    void freed() {
        version.incrementAndGet();
        if (waiters.get() > 0) {
            lock.lock();
            try {
                freed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until a slot was freed after {@code seen} was read, a recheck period passed, or the
     * deadline ({@link System#nanoTime()}). False only when the deadline has passed.
     */
    boolean await(long seen, long deadlineNanos) {
        waiters.incrementAndGet();
        lock.lock();
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (version.get() == seen) {
                freed.awaitNanos(Math.min(left, RECHECK_NANOS));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }
}
