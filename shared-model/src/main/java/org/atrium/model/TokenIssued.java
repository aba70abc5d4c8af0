package org.atrium.model;

import java.time.Instant;

/** The one answer that ever contains a token: shown once, never stored in clear. */
public record TokenIssued(String token, String jti, Instant expiresAt) {
}
