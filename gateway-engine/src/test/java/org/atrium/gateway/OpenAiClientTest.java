package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import java.util.stream.Collectors;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK talks to Atrium as it would to OpenAI: plain, streaming, errors. */
class OpenAiClientTest {
    static StubBackend stub;
    static TestGateway gw;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("routes:\n  - id: task_001\n    aliases: [qwen3-8b]\n    backends:\n      - url: " + stub.url()
                + "\n" + TestGateway.route("task_002", stub.url()));
        client = OpenAIOkHttpClient.builder()
                .apiKey(gw.token("sdk-user", "default", "task_001"))
                .baseUrl(gw.base() + "/v1")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        gw.close();
        stub.close();
    }

    static ChatCompletionCreateParams params(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
    }

    @Test
    void chatCompletion() {
        ChatCompletion c = client.chat().completions().create(params("qwen3-8b"));
        assertThat(c.choices().getFirst().message().content()).hasValue("Hello from the stub");
        assertThat(c.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(7));
    }

    @Test
    void streamingChatCompletion() {
        String text;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params("task_001"))) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            text = chunks.stream().flatMap(c -> c.choices().stream())
                    .map(ch -> ch.delta().content().orElse("")).collect(Collectors.joining());
            assertThat(chunks.getLast().usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(5));
        }
        assertThat(text).isEqualTo("Hello from the stub");
    }

    @Test
    void modelsAreFilteredAndErrorsSurfaceAsSdkExceptions() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactlyInAnyOrder("task_001", "qwen3-8b");
        assertThatThrownBy(() -> client.chat().completions().create(params("task_002")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("No access to this task");
    }
}
