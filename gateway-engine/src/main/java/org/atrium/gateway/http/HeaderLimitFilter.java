package org.atrium.gateway.http;

import io.helidon.http.Header;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.ErrorCode;

/**
 * Enforces {@code server.max_header_bytes} with a 431 {@code HEADERS_TOO_LARGE} answer. Helidon's own
 * header limit is set higher as a backstop, because it answers a bare 400 that does not say why.
 */
public final class HeaderLimitFilter implements Filter {
    private final int maxHeaderBytes;

    public HeaderLimitFilter(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** The limit handed to Helidon's parser: well above ours, so ours answers first. */
    public static int parserBackstop(int maxHeaderBytes) {
        return Math.max(64 * 1024, maxHeaderBytes * 4);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long size = 0;
        for (Header h : req.headers()) {
            size += h.name().length() + 4;
            if (h.valueCount() == 1) {
                size += h.get().length(); // no list made for the usual single value
                continue;
            }
            for (String v : h.allValues()) {
                size += v.length();
            }
        }
        if (size > maxHeaderBytes) {
            ErrorBodies.send(res, new Rejection(ErrorCode.HEADERS_TOO_LARGE), req.path().path().startsWith("/v1/"), null);
            return;
        }
        chain.proceed();
    }
}
