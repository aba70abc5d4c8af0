package org.atrium.gateway.admin;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /admin/v1/openapi.yaml}: the OpenAPI 3 description of the admin API, a resource file. */
public final class OpenApiService implements HttpService {
    static final String RESOURCE = "openapi.yaml";
    private final byte[] yaml;

    public OpenApiService() {
        try (InputStream in = OpenApiService.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=UTF-8")
                .send(yaml));
    }
}
