package org.atrium.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;

/** Reading and writing admin bodies: bounded JSON in, {@link Json} out. */
public final class AdminBodies {
    /** Admin bodies are small records; anything bigger is refused before parsing. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    private static final ObjectMapper READER = untrustedReader();

    private AdminBodies() {
    }

    private static ObjectMapper untrustedReader() {
        ObjectMapper m = Json.mapper().copy();
        m.getFactory().setStreamReadConstraints(Json.untrustedLimits());
        return m;
    }

    public static <T> T read(ServerRequest req, Class<T> type) throws JsonProcessingException {
        byte[] body = bytes(req);
        if (body.length == 0) {
            throw new AdminException(ErrorCode.BAD_REQUEST, "A JSON body is required");
        }
        try {
            return READER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any JSON (the reference gateway's lenient {@code /blacklist}); null when the body is empty. */
    public static JsonNode tree(ServerRequest req) throws JsonProcessingException {
        byte[] body = bytes(req);
        if (body.length == 0) {
            return null;
        }
        try {
            return READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON tree read as {@code type} with the same checks as a body (unknown fields refused). */
    public static <T> T fromTree(JsonNode tree, Class<T> type) throws JsonProcessingException {
        return READER.treeToValue(tree, type);
    }

    static byte[] bytes(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new AdminException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "Request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new AdminException(ErrorCode.BAD_REQUEST, "Cannot read the request body");
        }
    }

    public static void json(ServerResponse res, Object body) {
        json(res, Status.OK_200, body);
    }

    public static void json(ServerResponse res, Status status, Object body) {
        try {
            res.status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void noContent(ServerResponse res) {
        res.status(Status.NO_CONTENT_204).send();
    }

    /** A JSON string of {@code o} for the audit trail; null stays null. */
    public static String toJson(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
