package org.atrium.gateway.traffic;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.gateway.testing.Tokens;
import org.atrium.model.Json;
import org.atrium.model.Priority;
import org.atrium.model.TenantSpec;

/** Helpers shared by the traffic-control tests. */
final class TrafficTesting {
    /** For calls that must really run at once (the common pool may have a single thread on 2 cores). */
    static final java.util.concurrent.Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    private TrafficTesting() {
    }

    /** A token valid for an hour from {@code clock}'s now (tests move the clock). */
    static String token(Clock clock, String user, String tenant, String... tasks) {
        long now = clock.instant().getEpochSecond();
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < tasks.length; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(tasks[i]).append('"');
        }
        list.append(']');
        return Tokens.hs256(TestGateway.SECRET, "{\"sub\":\"" + user + "\",\"tenant\":\"" + tenant
                + "\",\"allowed_tasks\":" + list + ",\"role\":\"user\",\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + ",\"jti\":\"" + user + "-" + System.nanoTime() + "\"}");
    }

    static TenantSpec tenant(String id, Integer weight, Priority priority, Integer rpm, Integer burst, Integer userRpm,
                             Integer userBurst, Integer maxConcurrent, Integer userMaxConcurrent, Long dailyRequests,
                             Long dailyTokens) {
        return new TenantSpec(id, null, true, weight, priority, rpm, burst, userRpm, userBurst, maxConcurrent,
                userMaxConcurrent, dailyRequests, dailyTokens, null);
    }

    static HttpResponse<String> chat(TestGateway gw, String token, String model, String extra) {
        return gw.post("/v1/chat/completions", token, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]" + (extra == null ? "" : "," + extra) + "}");
    }

    static HttpResponse<String> task(TestGateway gw, String token, String task) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/" + task + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")), token);
    }

    static String code(HttpResponse<String> r) {
        try {
            var n = Json.mapper().readTree(r.body());
            return n.path("error").isObject() ? n.path("error").path("code").asText() : n.path("code").asText();
        } catch (Exception e) {
            return "?";
        }
    }

    /** Runs {@code n} calls at once on virtual threads and returns their answers. */
    static <T> List<T> parallel(int n, Callable<T> call) throws Exception {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(ex.submit(call));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        }
    }
}
