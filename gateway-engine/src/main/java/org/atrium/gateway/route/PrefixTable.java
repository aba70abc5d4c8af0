package org.atrium.gateway.route;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The prompt prefixes one backend served recently: a bounded LRU set of block hashes (see
 * {@link CallProfile}). It stands in for the engine's own prefix cache, which keeps the KV blocks
 * of recent prompts: a call whose prefix is here will likely skip most of its prefill there.
 */
final class PrefixTable {
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Long, Boolean> recent;

    PrefixTable(int capacity) {
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** How many leading blocks of {@code call} this backend served recently (0 = none); refreshes the match. */
    int matched(CallProfile call) {
        if (call.blocks() == 0) {
            return 0;
        }
        lock.lock();
        try {
            for (int i = call.blocks() - 1; i >= 0; i--) {
                if (recent.get(call.blockHash(i)) != null) {
                    return i + 1;
                }
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Remembers that this backend now holds every block of {@code call}. */
    void served(CallProfile call) {
        if (call.blocks() == 0) {
            return;
        }
        lock.lock();
        try {
            for (int i = 0; i < call.blocks(); i++) {
                recent.put(call.blockHash(i), Boolean.TRUE);
            }
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return recent.size();
        } finally {
            lock.unlock();
        }
    }
}
