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

    private final long[] blockHashes;

    CallProfile(long[] blockHashes) {
        this.blockHashes = blockHashes;
    }

    /** The profile of a request body (null or without a prompt key: no prefix). */
    public static CallProfile of(byte[] body, InferenceSettings settings) {
        if (body == null || body.length == 0) {
            return NONE;
        }
        int start = indexOf(body, MESSAGES);
        if (start < 0) {
            start = indexOf(body, PROMPT);
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

    /** A 64-bit multiply-xorshift hash, 8 bytes a step (a KB in well under a microsecond). */
    static long hash(byte[] b, int off, int len, long seed) {
        long h = seed ^ (len * 0xC2B2AE3D27D4EB4FL);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = mix(h ^ (long) LONGS.get(b, i));
        }
        for (; i < end; i++) {
            h = mix(h ^ (b[i] & 0xffL));
        }
        return h;
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        x ^= x >>> 32;
        x *= 0xD6E8FEB86659FD93L;
        return x ^ (x >>> 29);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0, n = hay.length - needle.length; i <= n; i++) {
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
