package org.atrium.gateway.telemetry.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atrium.model.GpuSample;

/**
 * Parser for {@code nvidia-smi --query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,
 * temperature.gpu,power.draw --format=csv,noheader,nounits}. Values nvidia-smi cannot read come as
 * {@code [N/A]}, {@code [Not Supported]} or {@code [Unknown Error]} and become null, never zero.
 */
final class NvidiaSmiCsvParser {
    static final String QUERY = "index,name,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw";
    private static final int FIELDS = 8;

    private NvidiaSmiCsvParser() {
    }

    static List<GpuSample> parse(String csv, String node, String source) throws MetricsParseException {
        List<GpuSample> out = new ArrayList<>();
        String[] lines = csv.split("\r?\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] raw = line.split(",", -1);
            if (raw.length < FIELDS) {
                throw new MetricsParseException(n + 1, "expected " + FIELDS + " fields, got " + raw.length);
            }
            // nvidia-smi does not quote: a comma inside the product name shifts the columns, so
            // the name is everything between the index and the six fixed columns at the end.
            int extra = raw.length - FIELDS;
            String name = String.join(",", java.util.Arrays.copyOfRange(raw, 1, 2 + extra)).strip();
            int index;
            try {
                index = Integer.parseInt(raw[0].strip());
            } catch (NumberFormatException e) {
                throw new MetricsParseException(n + 1, "invalid GPU index '" + raw[0].strip() + "'");
            }
            int k = 2 + extra;
            // uuid at k is not part of GpuSample; it is checked for shape only.
            if (raw[k].strip().isEmpty()) {
                throw new MetricsParseException(n + 1, "missing uuid");
            }
            Double util = number(raw[k + 1], n + 1);
            Double memUsed = number(raw[k + 2], n + 1);
            Double memTotal = number(raw[k + 3], n + 1);
            Double temp = number(raw[k + 4], n + 1);
            Double power = number(raw[k + 5], n + 1);
            out.add(new GpuSample(node, index, name, util, memUsed, memTotal, temp, power, source, false));
        }
        return out;
    }

    private static Double number(String field, int line) throws MetricsParseException {
        String v = field.strip();
        if (v.isEmpty() || (v.startsWith("[") && v.endsWith("]")) || v.equalsIgnoreCase("N/A")) {
            return null;
        }
        // Tolerate output without "nounits" (e.g. a wrapper script that dropped the flag).
        String lower = v.toLowerCase(Locale.ROOT);
        for (String unit : new String[] {" %", " mib", " w", " c"}) {
            if (lower.endsWith(unit)) {
                v = v.substring(0, v.length() - unit.length()).strip();
                break;
            }
        }
        try {
            double d = PrometheusTextParser.parseValue(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            throw new MetricsParseException(line, "invalid number '" + (v.length() > 40 ? v.substring(0, 40) : v) + "'");
        }
    }
}
