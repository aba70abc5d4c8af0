package org.atrium.model;

import java.time.LocalDate;

/**
 * Usage of one tenant/user/route on one local day. {@code gpuSeconds} is the time a backend was
 * busy with the tenant's calls.
 */
public record UsageRow(LocalDate day, String tenant, String user, String route,
                       long requests, long errors, long promptTokens, long completionTokens, double gpuSeconds) {
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
