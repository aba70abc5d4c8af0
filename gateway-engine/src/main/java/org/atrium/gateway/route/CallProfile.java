package org.atrium.gateway.route;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the balancer knows about a call before sending it: chained hashes of its prompt prefix, one
 * per complete block (block {@code i}'s hash covers blocks 0..i). The prefix starts at the body's
 * {@code "messages"} or {@code "prompt"} key, so a different {@code max_tokens} before it does not
 * break affinity; only complete blocks count, so a prompt's unique tail past the shared part does
 * not hide the shared part. Only hashes are kept, never the text.
 */
public final class CallProfile {
    public static final CallProfile NONE = new CallProfile(new long[0]);

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] MESSAGES = "\"messages\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROMPT = "\"prompt\"".getBytes(StandardCharsets.US_ASCII);

    /** The prompt key is looked for this far into the body (a large body is not scanned to its end). */
    static final int SEARCH_LIMIT = 64 * 1024;

    private final long[] blockHashes;

    CallProfile(long[] blockHashes) {
        this.blockHashes = blockHashes;
    }

    /** The profile of a request body (null or without a prompt key: no prefix). */
    public static CallProfile of(byte[] body, InferenceSettings settings) {
        if (body == null || body.length == 0) {
            return NONE;
        }
        int start = indexOf(body, MESSAGES, SEARCH_LIMIT);
        if (start < 0) {
            start = indexOf(body, PROMPT, SEARCH_LIMIT);
        }
        if (start < 0) {
            return NONE;
        }
        int block = settings.prefixBlockBytes();
        int blocks = Math.min(settings.maxBlocks(), (body.length - start) / block);
        long[] hashes = new long[blocks];
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < blocks; i++) {
            h = hash(body, start + i * block, block, h);
            hashes[i] = h;
        }
        return new CallProfile(hashes);
    }

    /** Complete prefix blocks of this call. */
    public int blocks() {
        return blockHashes.length;
    }

    /** Hash of blocks 0..i. */
    long blockHash(int i) {
        return blockHashes[i];
    }

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    /**
     * A 64-bit hash with xxHash64's round on four independent lanes of 8 bytes (so the CPU runs them
     * in parallel), then a multiply-xorshift for the tail: a KB in well under a microsecond.
     */
    static long hash(byte[] b, int off, int len, long seed) {
        long h1 = seed + P1 + P2;
        long h2 = seed + P2;
        long h3 = seed;
        long h4 = seed - P1;
        int i = off;
        int end = off + len;
        for (; i + 32 <= end; i += 32) {
            h1 = Long.rotateLeft(h1 + (long) LONGS.get(b, i) * P2, 31) * P1;
            h2 = Long.rotateLeft(h2 + (long) LONGS.get(b, i + 8) * P2, 31) * P1;
            h3 = Long.rotateLeft(h3 + (long) LONGS.get(b, i + 16) * P2, 31) * P1;
            h4 = Long.rotateLeft(h4 + (long) LONGS.get(b, i + 24) * P2, 31) * P1;
        }
        long h = Long.rotateLeft(h1, 1) + Long.rotateLeft(h2, 7) + Long.rotateLeft(h3, 12) + Long.rotateLeft(h4, 18);
        for (; i + 8 <= end; i += 8) {
            h = mix(h ^ (long) LONGS.get(b, i));
        }
        for (; i < end; i++) {
            h = mix(h ^ (b[i] & 0xffL));
        }
        return mix(h ^ len);
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        x ^= x >>> 32;
        x *= 0xD6E8FEB86659FD93L;
        return x ^ (x >>> 29);
    }

    private static int indexOf(byte[] hay, byte[] needle, int limit) {
        outer:
        for (int i = 0, n = Math.min(hay.length, limit) - needle.length; i <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
