package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Result of probing one backend from the admin "test connection" action. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendProbe(String url, boolean ok, Integer status, long latencyMs, String error) {
}
