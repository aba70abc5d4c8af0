package org.atrium.gateway.telemetry.collect;

/** All telemetry collectors; any part left null takes its defaults. */
public record CollectorsConfig(NvidiaSmiConfig nvidiaSmi, DcgmConfig dcgm, EngineMetricsConfig engines) {
    public CollectorsConfig {
        nvidiaSmi = nvidiaSmi == null ? NvidiaSmiConfig.defaults() : nvidiaSmi;
        dcgm = dcgm == null ? DcgmConfig.defaults() : dcgm;
        engines = engines == null ? EngineMetricsConfig.defaults() : engines;
    }

    public static CollectorsConfig defaults() {
        return new CollectorsConfig(null, null, null);
    }
}
