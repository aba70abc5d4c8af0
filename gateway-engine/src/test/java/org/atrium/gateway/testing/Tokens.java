package org.atrium.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints HS256 tokens byte for byte as the reference gateway's token script does with PyJWT:
 * header {@code {"alg":"HS256","typ":"JWT"}}, compact JSON payload, the secret string's UTF-8
 * bytes as the HMAC key. Independent of the code under test.
 */
public final class Tokens {
    private Tokens() {
    }

    public static String hs256(String secret, String payloadJson) {
        return sign(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson);
    }

    public static String sign(String secret, String headerJson, String payloadJson) {
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        String signingInput = enc.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + enc.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + enc.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference script's user token: sub = user_id, allowed_tasks, role user, 1 h, jti user_time. */
    public static String referenceUserToken(String secret, String user, long nowSeconds, String... tasks) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < tasks.length; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(tasks[i]).append('"');
        }
        list.append(']');
        // PyJWT serialises with separators (",", ":") and keeps the payload's key order.
        String payload = "{\"sub\":\"" + user + "\",\"user_id\":\"" + user + "\",\"allowed_tasks\":" + list
                + ",\"role\":\"user\",\"iat\":" + nowSeconds + ",\"exp\":" + (nowSeconds + 3600)
                + ",\"jti\":\"" + user + "_" + nowSeconds + "\"}";
        return hs256(secret, payload);
    }
}
