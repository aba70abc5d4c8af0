package org.atrium.gateway.pipeline;

import org.atrium.gateway.security.TokenRejected;
import org.atrium.gateway.security.TokenVerifier;
import org.atrium.model.ErrorCode;

/** Stage 3: the bearer token: missing → 401 {@code NO_TOKEN}, unacceptable → 401 {@code INVALID_TOKEN}. */
public final class TokenStage implements Stage {
    private final TokenVerifier verifier;

    public TokenStage(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public int order() {
        return TOKEN;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        String auth = ex.authorization();
        if (auth == null || auth.isBlank()) {
            throw new Rejection(ErrorCode.NO_TOKEN).header("WWW-Authenticate", "Bearer");
        }
        try {
            ex.principal(verifier.verify(auth));
        } catch (TokenRejected e) {
            throw new Rejection(ErrorCode.INVALID_TOKEN).with("detail", e.getMessage())
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
    }
}
