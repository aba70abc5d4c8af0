package org.atrium.gateway.state.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Sends the limit checks of calls that arrive while a script is on its way to Redis together, in
 * the next script: at most one batch is in flight, so a lone call costs one round trip and calls
 * arriving under load share one (Redisson's per-command work is what costs a node its CPU). The
 * script decides each call on its own, in arrival order, exactly as if they came one by one.
 * Quota settles (nobody waits for them) ride along in the next script the same way: under load
 * they cost no round trip of their own.
 */
final class LimitBatcher {
    /** Calls per script at most (a few keys each), and settles. */
    static final int MAX_CALLS = 32;
    static final int MAX_ADJUSTS = 64;

    /** A settle: {@code delta} added to an existing quota counter. */
    private record Adjust(String key, long delta) {
    }

    /** One call's keys and arguments, how many numbers its answer has, and where the answer goes. */
    private record Call(List<Object> keys, List<Object> args, int replySize, CompletableFuture<List<Object>> reply) {
    }

    private final String script;
    private final Supplier<RedissonClient> client;
    private final ConcurrentLinkedQueue<Call> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Adjust> adjusts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();

    /**
     * {@code script} takes the number of calls as ARGV[1] and of settles as ARGV[2], then each
     * settle's delta, then each call's arguments; KEYS: the settles' counters, then each call's keys.
     */
    LimitBatcher(String script, Supplier<RedissonClient> client) {
        this.script = script;
        this.client = client;
    }

    /** Queues one call; its answer (the call's part of the script's reply) completes the future. */
    CompletableFuture<List<Object>> submit(List<Object> keys, List<Object> args, int replySize) {
        Call call = new Call(keys, args, replySize, new CompletableFuture<>());
        queue.add(call);
        pump();
        return call.reply();
    }

    /** Queues a settle for the next script; sent at once when none is in flight. Never waits. */
    void adjust(String key, long delta) {
        adjusts.add(new Adjust(key, delta));
        pump();
    }

    private void pump() {
        while ((!queue.isEmpty() || !adjusts.isEmpty()) && inFlight.compareAndSet(false, true)) {
            List<Call> batch = new ArrayList<>();
            Call c;
            while (batch.size() < MAX_CALLS && (c = queue.poll()) != null) {
                if (!c.reply().isDone()) {
                    batch.add(c); // a caller that gave up waiting (timeout) is not sent
                }
            }
            List<Adjust> settles = new ArrayList<>();
            Adjust a;
            while (settles.size() < MAX_ADJUSTS && (a = adjusts.poll()) != null) {
                settles.add(a);
            }
            if (batch.isEmpty() && settles.isEmpty()) {
                inFlight.set(false);
                continue;
            }
            send(batch, settles);
            return;
        }
    }

    private void send(List<Call> batch, List<Adjust> settles) {
        List<Object> keys = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        args.add(Integer.toString(batch.size()));
        args.add(Integer.toString(settles.size()));
        for (Adjust a : settles) {
            keys.add(a.key());
            args.add(Long.toString(a.delta()));
        }
        for (Call c : batch) {
            keys.addAll(c.keys());
            args.addAll(c.args());
        }
        CompletionStage<List<Object>> sent;
        try {
            RedissonClient c = client.get();
            if (c == null) {
                throw new IllegalStateException("no Redis client");
            }
            sent = c.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, script,
                    RScript.ReturnType.LIST, keys, args.toArray());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((reply, error) -> {
            inFlight.set(false);
            deliver(batch, reply, error);
            pump();
        });
    }

    private static void deliver(List<Call> batch, List<Object> reply, Throwable error) {
        int at = 0;
        for (Call c : batch) {
            if (error != null) {
                c.reply().completeExceptionally(error);
            } else if (reply == null || reply.size() < at + c.replySize()) {
                c.reply().completeExceptionally(new IllegalStateException("short limit script reply"));
            } else {
                c.reply().complete(List.copyOf(reply.subList(at, at + c.replySize())));
            }
            at += c.replySize();
        }
    }
}
