package org.atrium.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.atrium.model.Json;

/** Human tables or JSON on the command's stdout. */
final class Output {
    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A left-aligned table with a header row; null cells print as {@code -}. */
    static void table(PrintWriter out, List<String> headers, List<List<Object>> rows) {
        int[] w = new int[headers.size()];
        List<List<String>> text = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
        }
        for (List<Object> r : rows) {
            List<String> t = new ArrayList<>();
            for (int i = 0; i < w.length; i++) {
                String s = r.get(i) == null ? "-" : String.valueOf(r.get(i));
                w[i] = Math.max(w[i], s.length());
                t.add(s);
            }
            text.add(t);
        }
        line(out, headers, w);
        text.forEach(t -> line(out, t, w));
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + w[i] + "s  ", cells.get(i)));
        }
        out.println(sb.toString().stripTrailing());
    }
}
