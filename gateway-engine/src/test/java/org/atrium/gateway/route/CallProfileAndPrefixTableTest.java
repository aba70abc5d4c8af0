package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Prompt-prefix hashing and the per-backend table of recently served prefixes. */
class CallProfileAndPrefixTableTest {
    private static final InferenceSettings SMALL = new InferenceSettings(1024, 256, 16, null, null, null);
    private static final String SYSTEM = "You are the radiology department's assistant. ".repeat(12); // ~560 bytes

    private static byte[] chat(String head, String system, String user) {
        return ("{" + head + "\"messages\":[{\"role\":\"system\",\"content\":\"" + system + "\"},"
                + "{\"role\":\"user\",\"content\":\"" + user + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void callsSharingASystemPromptShareTheirLeadingBlocks() {
        CallProfile a = CallProfile.of(chat("\"model\":\"m\",", SYSTEM, "CT of the chest " + "x".repeat(900)), SMALL);
        CallProfile b = CallProfile.of(chat("\"model\":\"m\",\"max_tokens\":77,\"stream\":true,", SYSTEM,
                "MRI of the knee " + "y".repeat(900)), SMALL);
        assertThat(a.blocks()).isEqualTo(4); // prefix_bytes / block
        assertThat(b.blocks()).isEqualTo(4);
        // what precedes "messages" does not count; the system prompt spans the first two blocks
        assertThat(a.blockHash(0)).isEqualTo(b.blockHash(0));
        assertThat(a.blockHash(1)).isEqualTo(b.blockHash(1));
        assertThat(a.blockHash(3)).isNotEqualTo(b.blockHash(3));
    }

    @Test
    void differentSystemPromptsDoNotMatch() {
        CallProfile a = CallProfile.of(chat("", SYSTEM, "q".repeat(600)), SMALL);
        CallProfile b = CallProfile.of(chat("", SYSTEM.replace("radiology", "cardiology"), "q".repeat(600)), SMALL);
        assertThat(a.blockHash(0)).isNotEqualTo(b.blockHash(0));
    }

    @Test
    void onlyCompleteBlocksCountAndBodiesWithoutAPromptHaveNone() {
        assertThat(CallProfile.of(chat("", "short", "hi"), SMALL).blocks()).isZero();
        assertThat(CallProfile.of("{\"input\":\"embed me\"}".getBytes(StandardCharsets.UTF_8), SMALL).blocks()).isZero();
        assertThat(CallProfile.of(null, SMALL).blocks()).isZero();
        byte[] completion = ("{\"model\":\"m\",\"prompt\":\"" + SYSTEM + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(CallProfile.of(completion, SMALL).blocks()).isEqualTo(2);
    }

    @Test
    void tableFindsTheLongestServedPrefix() {
        PrefixTable table = new PrefixTable(64);
        CallProfile served = CallProfile.of(chat("", SYSTEM, "a".repeat(900)), SMALL);
        CallProfile sameSystem = CallProfile.of(chat("", SYSTEM, "b".repeat(900)), SMALL);
        CallProfile other = CallProfile.of(chat("", SYSTEM.replace('r', 'R'), "a".repeat(900)), SMALL);
        assertThat(table.matched(served)).isZero();
        table.served(served);
        assertThat(table.matched(served)).isEqualTo(4);
        assertThat(table.matched(sameSystem)).isEqualTo(2);
        assertThat(table.matched(other)).isZero();
        assertThat(table.matched(CallProfile.NONE)).isZero();
    }

    @Test
    void tableForgetsTheLeastRecentlyUsedFirst() {
        PrefixTable table = new PrefixTable(16);
        CallProfile[] calls = new CallProfile[17];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = CallProfile.of(("{\"prompt\":\"" + i + "-" + "p".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8),
                    new InferenceSettings(256, 256, 16, null, null, null));
            assertThat(calls[i].blocks()).isEqualTo(1);
        }
        for (int i = 0; i < 16; i++) {
            table.served(calls[i]);
        }
        assertThat(table.matched(calls[0])).isEqualTo(1); // used again: now the most recent
        table.served(calls[16]);
        assertThat(table.size()).isEqualTo(16);
        assertThat(table.matched(calls[0])).isEqualTo(1);
        assertThat(table.matched(calls[1])).isZero();
        assertThat(table.matched(calls[16])).isEqualTo(1);
    }
}
