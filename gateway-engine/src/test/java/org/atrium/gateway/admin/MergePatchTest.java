package org.atrium.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.atrium.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of RFC 7396 Appendix A, each as original | patch | result. */
class MergePatchTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}              | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}              | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}               | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}               | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}              | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}            | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]              | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                    | [\"c\"]",
            "{\"a\":\"foo\"}              | null                       | null",
            "{\"a\":\"foo\"}              | \"bar\"                    | \"bar\"",
            "{\"e\":null}                 | {\"a\":1}                  | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}   | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
    void rfc7396AppendixA(String original, String patch, String expected) throws Exception {
        JsonNode target = Json.mapper().readTree(original);
        String before = target.toString();
        JsonNode result = MergePatch.apply(target, Json.mapper().readTree(patch));
        assertThat(result).isEqualTo(Json.mapper().readTree(expected));
        assertThat(target.toString()).as("the target is not modified").isEqualTo(before);
    }
}
