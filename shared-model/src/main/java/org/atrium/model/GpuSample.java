package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One GPU at one moment. Nullable numbers mean "this source does not report it"; {@code stale}
 * means the collector failed and the values are the last known ones (never shown as zero).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GpuSample(String node, int index, String name, Double utilPercent, Double memoryUsedMiB,
                        Double memoryTotalMiB, Double temperatureC, Double powerW, String source, boolean stale) {
}
