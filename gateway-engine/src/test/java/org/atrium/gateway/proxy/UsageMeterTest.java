package org.atrium.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageMeterTest {
    private static UsageMeter meter(String contentType, String body, int chunk) {
        UsageMeter m = new UsageMeter(contentType);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            m.accept(b, i, Math.min(chunk, b.length - i));
        }
        m.finish();
        return m;
    }

    @Test
    void jsonAnswerUsageWhateverComesBeforeIt() {
        String body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"a \\\"usage\\\" {\"}}],"
                + "\"nested\":{\"usage\":{\"prompt_tokens\":999}},"
                + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18,\"details\":{\"x\":[1,2]}}}";
        for (int chunk : new int[] {1, 7, 4096}) {
            UsageMeter m = meter("application/json", body, chunk);
            assertThat(m.promptTokens()).isEqualTo(11);
            assertThat(m.completionTokens()).isEqualTo(7);
        }
    }

    @Test
    void embeddingsCountTotalMinusPromptAndSkipTheVectors() {
        StringBuilder vec = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            vec.append(i == 0 ? "" : ",").append("0.0123");
        }
        String body = "{\"object\":\"list\",\"data\":[{\"embedding\":[" + vec + "]}],"
                + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
        UsageMeter m = meter("application/json; charset=utf-8", body, 8192);
        assertThat(m.promptTokens()).isEqualTo(5);
        assertThat(m.completionTokens()).isZero();
    }

    @Test
    void sseUsageInTheLastChunkCrLfAndDone() {
        String body = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\r\n\r\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\r\n\r\n"
                + "data: [DONE]\r\n\r\n";
        for (int chunk : new int[] {1, 5, 1000}) {
            UsageMeter m = meter("text/event-stream", body, chunk);
            assertThat(m.promptTokens()).isEqualTo(3);
            assertThat(m.completionTokens()).isEqualTo(2);
            assertThat(m.sawDone()).isTrue();
            assertThat(m.sse()).isTrue();
        }
    }

    @Test
    void sseWithoutUsageCountsNothingAndNoDoneIsSeen() {
        UsageMeter m = meter("text/event-stream", "data: {\"choices\":[]}\n\nevent: x\ndata:  [DONE]x\n", 3);
        assertThat(m.promptTokens()).isEqualTo(-1);
        assertThat(m.completionTokens()).isEqualTo(-1);
        assertThat(m.sawDone()).isFalse();
    }

    @Test
    void ollamaJsonAndStreamedNdjson() {
        UsageMeter one = meter("application/json", "{\"response\":\"x\",\"prompt_eval_count\":26,\"eval_count\":290}", 10);
        assertThat(one.promptTokens()).isEqualTo(26);
        assertThat(one.completionTokens()).isEqualTo(290);
        String nd = "{\"message\":{\"content\":\"He\"},\"done\":false}\n"
                + "{\"message\":{\"content\":\"llo\"},\"done\":false}\n"
                + "{\"done\":true,\"prompt_eval_count\":12,\"eval_count\":2}";
        UsageMeter streamed = meter("application/x-ndjson", nd, 6);
        assertThat(streamed.promptTokens()).isEqualTo(12);
        assertThat(streamed.completionTokens()).isEqualTo(2);
        assertThat(streamed.sse()).isFalse();
    }

    @Test
    void notJsonTruncatedOrTooLargeCountsNothing() {
        assertThat(meter("application/json", "<html>usage</html>", 4).promptTokens()).isEqualTo(-1);
        assertThat(meter("application/json", "{\"usage\":{\"prompt_tokens\":4", 4).promptTokens()).isEqualTo(-1);
        String big = "{\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\",\"usage\":{\"prompt_tokens\":1}}";
        assertThat(meter("application/json", big, 65536).promptTokens()).isEqualTo(-1);
        // an SSE line longer than the bound is cut, not grown without limit, and the next line still counts
        String longLine = "data: " + "y".repeat(2 * 1024 * 1024) + "\n\ndata: {\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}\n\n";
        UsageMeter m = meter("text/event-stream", longLine, 65536);
        assertThat(m.promptTokens()).isEqualTo(9);
    }

    @Test
    void sseUsageObjectAfterNullsAndSpacesWhetherLinesArriveWholeOrSplit() {
        String body = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"say \\\"usage\\\": {\"}}],\"usage\" : null}\n\n"
                + "data: {\"choices\":[],\"usage\" :\t{ \"prompt_tokens\":4,\"completion_tokens\":6}}\n\n"
                + "data: [DONE]\n\n";
        for (int chunk : new int[] {1, 2, 3, 17, 64, 4096}) {
            UsageMeter m = meter("text/event-stream", body, chunk);
            assertThat(m.promptTokens()).as("reads of %d bytes", chunk).isEqualTo(4);
            assertThat(m.completionTokens()).isEqualTo(6);
            assertThat(m.sawDone()).isTrue();
        }
    }
}
