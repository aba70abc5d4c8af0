package org.atrium.gateway.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which of the caller's headers go upstream and which of the backend's come back, and how the
 * identity the gateway asserts is written.
 *
 * <ul>
 *   <li>Hop-by-hop headers never pass (RFC 9110 7.6.1: {@code Connection} and every header it
 *       names, plus the legacy {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE},
 *       {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade}).</li>
 *   <li>A header name that is not a plain RFC 9110 token or holds an underscore is dropped: WSGI
 *       and CGI backends read {@code X_User_ID} as {@code X-User-ID}, so it could impersonate the
 *       identity the gateway sets.</li>
 *   <li>A value with a control character (other than a tab) is dropped.</li>
 *   <li>Identity values ({@code X-User-ID}, {@code X-Tenant-ID}) are sent as percent-encoded UTF-8
 *       whenever they hold anything outside visible ASCII or a {@code %}: {@code 李医生} becomes
 *       {@code %E6%9D%8E%E5%8C%BB%E7%94%9F}, so two users never collide as {@code ???}.</li>
 * </ul>
 */
public final class ForwardedHeaders {
    /** Hop-by-hop headers (RFC 9110 7.6.1 and the legacy ones): never forwarded either way. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");
    /** Never forwarded upstream besides the hop-by-hop ones: credentials, framing, identity the gateway sets. */
    static final Set<String> REQUEST_DROP = Set.of("host", "content-length", "expect", "authorization",
            "accept-encoding", "x-user-id", "x-tenant-id", "x-task-id", "x-request-id", "x-authenticated-at",
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded",
            "x-upstream", "cookie");
    /** Never copied back to the caller besides the hop-by-hop ones. */
    static final Set<String> RESPONSE_DROP = Set.of("server", "x-request-id", "x-upstream", "content-length", "date");

    private ForwardedHeaders() {
    }

    /** The lower-case names the message's {@code Connection} header lists (its own hop-by-hop headers). */
    static Set<String> connectionOptions(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String value : headers.get(HeaderNames.CONNECTION).allValues()) {
            for (String token : value.split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }

    /** Whether the caller's header {@code h} may go upstream. */
    static boolean forwardRequestHeader(Header h, Set<String> connectionOptions) {
        String name = h.headerName().lowerCase(); // made once by Helidon, not per call and header
        return !REQUEST_DROP.contains(name) && passes(name, h, connectionOptions);
    }

    /** Whether the backend's header {@code h} may go back to the caller. */
    static boolean forwardResponseHeader(Header h, Set<String> connectionOptions) {
        String name = h.headerName().lowerCase();
        return !RESPONSE_DROP.contains(name) && passes(name, h, connectionOptions);
    }

    private static boolean passes(String lowerName, Header h, Set<String> connectionOptions) {
        if (HOP_BY_HOP.contains(lowerName) || connectionOptions.contains(lowerName) || !token(lowerName)) {
            return false;
        }
        if (h.valueCount() == 1) {
            return safeValue(h.get()); // no list made for the usual single value
        }
        for (String v : h.allValues()) {
            if (!safeValue(v)) {
                return false;
            }
        }
        return true;
    }

    /** An RFC 9110 token without underscores. */
    static boolean token(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&'*+-.^`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** No control character but tab, nothing outside Latin-1. */
    static boolean safeValue(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * An identity value as sent upstream: unchanged when it is visible ASCII without {@code %},
     * else every byte of its UTF-8 form outside that set written as {@code %XX} (upper-case hex),
     * which {@code urllib.parse.unquote} or {@code URLDecoder} (without the {@code +} rule) reverse.
     */
    public static String identity(String value) {
        boolean plain = true;
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > 0x20 && c < 0x7f && c != '%';
        }
        if (plain) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if (u > 0x20 && u < 0x7f && u != '%') {
                sb.append((char) u);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
