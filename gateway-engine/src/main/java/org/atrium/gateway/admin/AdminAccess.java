package org.atrium.gateway.admin;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.ErrorCode;

/**
 * Runs before every admin route: authenticates the caller ({@link AdminAuth}), refuses writes to
 * the read-only {@code auditor} role and leaves the {@link AdminAuth.Caller} in the request
 * context for the audit trail. Reads are GET and HEAD; every other method is a write.
 */
public final class AdminAccess implements Handler {
    private final AdminAuth auth;

    public AdminAccess(AdminAuth auth) {
        this.auth = auth;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        AdminAuth.Caller caller;
        try {
            caller = auth.authenticate(req);
        } catch (Rejection r) {
            AdminErrors.send(res, r);
            return;
        }
        Method m = req.prologue().method();
        boolean read = m == Method.GET || m == Method.HEAD;
        if (!read && !caller.mayWrite()) {
            AdminErrors.send(res, new AdminException(ErrorCode.FORBIDDEN,
                    "The " + caller.role() + " role is read-only"));
            return;
        }
        req.context().register(caller);
        res.next();
    }

    /** The caller {@link #handle} authenticated for this request. */
    public static AdminAuth.Caller caller(ServerRequest req) {
        return req.context().get(AdminAuth.Caller.class)
                .orElseThrow(() -> new AdminException(ErrorCode.NO_TOKEN, "Missing authorization header"));
    }
}
