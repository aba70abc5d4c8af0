package org.atrium.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;

/**
 * JSON merge patch (RFC 7396) for {@code PATCH}: a member set to a value replaces it (arrays and
 * scalars as a whole, objects member by member), a member set to {@code null} removes it (the
 * record's default applies again), an absent member is left as it is. The patched document is then
 * read as the resource's record, so validation and its error fields are exactly those of
 * {@code PUT}. Jackson and JSON-P have no RFC 7396 for Jackson trees; the algorithm is the RFC's
 * eight lines.
 */
public final class MergePatch {
    /** The media type RFC 7396 registers; {@code application/json} is accepted too. */
    public static final String MEDIA_TYPE = "application/merge-patch+json";

    private MergePatch() {
    }

    /** RFC 7396 section 2, MergePatch(Target, Patch); {@code target} is not modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : Json.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }

    /**
     * Reads a request's merge patch: 415 for a body that is not JSON by its content type, 400 for
     * an empty body or a patch that is not an object.
     */
    public static JsonNode read(ServerRequest req) throws JsonProcessingException {
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
                .split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!contentType.equals(MEDIA_TYPE) && !contentType.equals("application/json")) {
            throw new AdminException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "PATCH takes a JSON merge patch: Content-Type " + MEDIA_TYPE + " (or application/json)");
        }
        JsonNode patch = AdminBodies.tree(req);
        if (patch == null) {
            throw new AdminException(ErrorCode.BAD_REQUEST, "A JSON body is required");
        }
        return patch;
    }

    /** {@code current} with {@code patch} applied, read back as {@code type} with a body's checks. */
    public static <T> T applyTo(T current, JsonNode patch, Class<T> type) throws JsonProcessingException {
        if (!patch.isObject()) {
            throw new AdminException(ErrorCode.BAD_REQUEST, "A merge patch must be a JSON object of the fields to change");
        }
        return AdminBodies.fromTree(apply(Json.mapper().valueToTree(current), patch), type);
    }
}
