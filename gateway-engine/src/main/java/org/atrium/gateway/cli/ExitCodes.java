package org.atrium.gateway.cli;

import org.atrium.gateway.admin.AdminException;
import org.atrium.model.ErrorCode;
import org.atrium.model.ValidationException;

/** Exit codes scripts can rely on (documented in docs/admin.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad options or arguments, or a value the gateway rejected as invalid. */
    public static final int USAGE = 1;
    /** Not found, already exists, or refused (authentication, role, read-only). */
    public static final int REFUSED = 2;
    /** The gateway cannot be reached and there is no data dir to work on. */
    public static final int UNREACHABLE = 3;
    /** {@code audit verify}: the audit chain is broken. */
    public static final int AUDIT_BROKEN = 4;
    /** Anything else (gateway or store error). */
    public static final int FAILED = 5;

    private ExitCodes() {
    }

    public static int of(Throwable t) {
        if (t instanceof CliException c) {
            return c.exitCode();
        }
        if (t instanceof ValidationException) {
            return USAGE;
        }
        if (t instanceof AdminException a) {
            return of(a.code());
        }
        return FAILED;
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, VALIDATION_FAILED, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED -> USAGE;
            case NOT_FOUND, CONFLICT, FORBIDDEN, NO_TOKEN, INVALID_TOKEN -> REFUSED;
            default -> FAILED;
        };
    }
}
