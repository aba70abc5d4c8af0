package org.atrium.gateway.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection after an answer that says {@code Connection: close}, whether the caller
 * asked for it or the gateway refused the request's framing. Helidon writes the header but then
 * reads on: bytes the caller sent after such a request (or what is left of a badly framed body)
 * would be parsed as another request, which is how a request is smuggled past a proxy.
 */
public final class ConnectionCloseFilter implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (closes(req.headers()) || closes(res.headers())) {
            throw new CloseConnectionException("Connection: close");
        }
    }

    /**
     * Whether {@code Connection} lists {@code close}. Helidon's token check splits the value into a
     * new list every time; the usual answer carries just {@code keep-alive}, which is settled without.
     */
    private static boolean closes(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return false;
        }
        Header c = headers.get(HeaderNames.CONNECTION);
        if (c.valueCount() == 1 && c.get().equalsIgnoreCase("keep-alive")) {
            return false;
        }
        return headers.containsToken(HeaderValues.CONNECTION_CLOSE);
    }
}
