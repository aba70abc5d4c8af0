package org.atrium.gateway.state;

import java.time.LocalDate;

/** Usage to add to one (day, tenant, user, route) counter row. */
public record UsageDelta(LocalDate day, String tenant, String user, String route, long requests, long errors,
                         long promptTokens, long completionTokens, long gpuMillis) {
}
