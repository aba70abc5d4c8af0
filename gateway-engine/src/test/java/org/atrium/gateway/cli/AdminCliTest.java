package org.atrium.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atrium.gateway.GatewayServer;
import org.atrium.gateway.Main;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.AuditEntry;
import org.atrium.model.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator CLI in-process: against a running gateway and against a stopped gateway's data dir. */
class AdminCliTest {
    record Run(int exit, String out, String err) {
    }

    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("routes:\n" + TestGateway.route("task_001", stub.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The command against the running test gateway. */
    static Run online(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--gateway", gw.admin(), "--data-dir", gw.server().dataDir().toString()));
        return cli(a.toArray(String[]::new));
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void tenantsAgainstARunningGateway() throws Exception {
        Run add = online("tenant", "add", "radiology", "--weight", "2", "--priority", "high", "--daily-tokens", "5000");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("added tenant radiology");
        Run again = online("tenant", "add", "radiology");
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains("already exists");

        Run list = online("tenant", "list");
        assertThat(list.out()).contains("ID").contains("radiology").contains("default").contains("high");
        JsonNode json = Json.mapper().readTree(online("tenant", "list", "--json").out());
        assertThat(json.findValuesAsText("id")).contains("radiology", "default");

        assertThat(online("tenant", "disable", "radiology").exit()).isZero();
        // a PATCH of the one field: weight, priority and quota are kept
        JsonNode disabled = Json.mapper().readTree(online("tenant", "list", "--json").out());
        JsonNode radiology = java.util.stream.StreamSupport.stream(disabled.spliterator(), false)
                .filter(n -> n.path("id").asText().equals("radiology")).findFirst().orElseThrow();
        assertThat(radiology.path("enabled").asBoolean()).isFalse();
        assertThat(radiology.path("weight").asInt()).isEqualTo(2);
        assertThat(radiology.path("priority").asText()).isEqualTo("high");
        assertThat(radiology.path("dailyTokenQuota").asLong()).isEqualTo(5000);
        HttpResponse<String> refused = gw.get("/api/task/task_001/v1/models", gw.token("r1", "radiology", "*"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(online("tenant", "enable", "radiology").exit()).isZero();
        Run set = online("tenant", "set", "radiology", "--daily-tokens", "9000", "--priority", "low");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("changed tenant radiology: priority, dailyTokenQuota");
        JsonNode changed = Json.mapper().readTree(online("tenant", "set", "radiology", "--weight", "4", "--json").out());
        assertThat(changed.path("dailyTokenQuota").asLong()).isEqualTo(9000);
        assertThat(changed.path("priority").asText()).isEqualTo("low");
        assertThat(changed.path("weight").asInt()).isEqualTo(4);
        assertThat(changed.path("enabled").asBoolean()).isTrue();
        assertThat(online("tenant", "set", "radiology").exit()).isEqualTo(ExitCodes.USAGE);
        Run invalid = online("tenant", "set", "radiology", "--weight", "0");
        assertThat(invalid.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("weight");
        assertThat(gw.get("/api/task/task_001/v1/models", gw.token("r1", "radiology", "*")).statusCode()).isEqualTo(200);
        assertThat(online("tenant", "disable", "nope").exit()).isEqualTo(ExitCodes.REFUSED);

        Run usage = online("tenant", "usage", "radiology");
        assertThat(usage.exit()).as(usage.err()).isZero();
        assertThat(usage.out()).contains("r1").contains("task_001").contains("total: 1 requests");
        assertThat(online("tenant", "usage", "radiology", "--from", "yesterday").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(online("tenant", "add", "bad id").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void tokensIssueListRevoke() throws Exception {
        Run issue = online("token", "issue", "--user", "dr_li", "--task", "task_001", "--ttl", "600", "--json");
        assertThat(issue.exit()).as(issue.err()).isZero();
        JsonNode t = Json.mapper().readTree(issue.out());
        String token = t.path("token").asText();
        String jti = t.path("jti").asText();
        assertThat(gw.get("/api/task/task_001/v1/models", token).statusCode()).isEqualTo(200);

        Run human = online("token", "issue", "--user", "dr_li");
        assertThat(human.out()).contains("token:").contains("jti:").contains("expires at:");
        assertThat(human.err()).contains("not shown again");

        Run list = online("token", "list");
        assertThat(list.out()).contains(jti).contains("dr_li").doesNotContain(token);
        assertThat(online("token", "revoke", jti).exit()).isZero();
        assertThat(gw.get("/api/task/task_001/v1/models", token).statusCode()).isEqualTo(401);
        assertThat(online("token", "list").out()).contains("revoked");
        Run unknown = online("token", "revoke", "nope");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(unknown.err()).contains("not found");
        assertThat(online("token", "issue").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(online("token", "issue", "--user", "x", "--role", "root").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void bansAndRoutes() throws Exception {
        assertThat(online("ban", "add", "ip", "10.9.0.0/16", "--duration", "60", "--reason", "scan").exit()).isZero();
        assertThat(online("ban", "list", "--type", "ip").out()).contains("10.9.0.0/16").contains("scan");
        assertThat(online("ban", "remove", "ip", "10.9.0.0/16").exit()).isZero();
        assertThat(online("ban", "remove", "ip", "10.9.0.0/16").exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(online("ban", "add", "ip", "999.1.1.1").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(online("ban", "add", "planet", "x").exit()).isEqualTo(ExitCodes.USAGE);

        Run add = online("route", "add", "cli-route", "--backend", stub.url(), "--alias", "cli-model");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(gw.post("/v1/chat/completions", gw.token("u", "default", "*"), "{\"model\":\"cli-model\"}").statusCode())
                .isEqualTo(200);
        Run list = online("route", "list");
        assertThat(list.out()).contains("cli-route").contains("store").contains("task_001").contains("config");
        Run set = online("route", "set", "cli-route", "--alias", "cli-model,cli-model-2", "--read-timeout", "600");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(gw.post("/v1/chat/completions", gw.token("u", "default", "*"), "{\"model\":\"cli-model-2\"}").statusCode())
                .isEqualTo(200);
        assertThat(online("route", "set", "task_001", "--health-path", "/health").exit()).isEqualTo(ExitCodes.REFUSED);
        Run ro = online("route", "remove", "task_001");
        assertThat(ro.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(ro.err()).contains("configuration file");
        assertThat(online("route", "add", "x", "--backend", "ftp://h").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(online("route", "remove", "cli-route").exit()).isZero();
    }

    @Test
    void auditVerifyOnlineAndHelpEverywhere() {
        online("tenant", "add", "audited");
        Run verify = online("audit", "verify");
        assertThat(verify.exit()).isZero();
        assertThat(verify.out()).matches("(?s)audit chain intact \\(\\d+ entries\\)\\s*");
        assertThat(gw.server().store().audit(null, null, null)).extracting(AuditEntry::actor).contains("admin-token");

        for (String[] cmd : List.of(new String[] {"token"}, new String[] {"token", "issue"}, new String[] {"token", "list"},
                new String[] {"token", "revoke"}, new String[] {"tenant"}, new String[] {"tenant", "list"},
                new String[] {"tenant", "add"}, new String[] {"tenant", "set"}, new String[] {"tenant", "disable"}, new String[] {"tenant", "enable"},
                new String[] {"tenant", "usage"}, new String[] {"ban", "add"}, new String[] {"ban", "list"},
                new String[] {"ban", "remove"}, new String[] {"route", "list"}, new String[] {"route", "add"},
                new String[] {"route", "set"}, new String[] {"route", "remove"}, new String[] {"audit", "verify"})) {
            List<String> a = new ArrayList<>(List.of(cmd));
            a.add("--help");
            Run help = cli(a.toArray(String[]::new));
            assertThat(help.exit()).as(String.join(" ", cmd)).isZero();
            assertThat(help.out()).as(String.join(" ", cmd)).contains("Usage:");
        }
        assertThat(cli("tenant").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("tenant", "list", "--bogus").exit()).isEqualTo(ExitCodes.USAGE);
        Run wrongToken = cli("tenant", "list", "--gateway", gw.admin(), "--admin-token-file",
                gw.configFile().toString());
        assertThat(wrongToken.exit()).isEqualTo(ExitCodes.REFUSED);
    }

    @Test
    void stoppedGatewayIsManagedThroughItsDataDir() throws Exception {
        Path dir = Files.createTempDirectory("atrium-cli");
        try {
            Path data = dir.resolve("data");
            Map<String, String> env = Map.of();
            GatewayServer first = GatewayServer.start(new GatewayServer.Options(null, data, env, null, 0, 0));
            first.close();
            String down = "http://127.0.0.1:" + freePort();
            String[] where = {"--gateway", down, "--data-dir", data.toString()};

            assertThat(run(where, "tenant", "add", "offline-t").exit()).isZero();
            assertThat(run(where, "tenant", "add", "offline-t").exit()).isEqualTo(ExitCodes.REFUSED);
            assertThat(run(where, "tenant", "list").out()).contains("offline-t");
            Run issued = run(where, "token", "issue", "--user", "night-shift", "--tenant", "offline-t", "--json");
            assertThat(issued.exit()).as(issued.err()).isZero();
            String token = Json.mapper().readTree(issued.out()).path("token").asText();
            Run revokedIssue = run(where, "token", "issue", "--user", "gone", "--json");
            String revoked = Json.mapper().readTree(revokedIssue.out()).path("token").asText();
            assertThat(run(where, "token", "revoke", Json.mapper().readTree(revokedIssue.out()).path("jti").asText()).exit())
                    .isZero();
            assertThat(run(where, "ban", "add", "user", "mallory").exit()).isZero();
            assertThat(run(where, "route", "add", "offline-route", "--backend", stub.url()).exit()).isZero();
            assertThat(run(where, "route", "list").out()).contains("offline-route");
            Run routeSet = run(where, "route", "set", "offline-route", "--health-path", "/health");
            assertThat(routeSet.exit()).as(routeSet.err()).isZero();
            assertThat(run(where, "route", "list", "--json").out()).containsPattern("\"healthPath\" ?: ?\"/health\"");
            assertThat(run(where, "tenant", "set", "offline-t", "--weight", "7").exit()).isZero();
            assertThat(run(where, "tenant", "set", "offline-t", "--weight", "0").exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(run(where, "tenant", "list", "--json").out()).containsPattern("\"weight\" ?: ?7");
            Run verify = run(where, "audit", "verify");
            assertThat(verify.exit()).isZero();
            assertThat(verify.out()).contains("audit chain intact (8 entries)");

            // the gateway started again enforces what the CLI wrote
            try (GatewayServer second = GatewayServer.start(new GatewayServer.Options(null, data, env, null, 0, 0))) {
                var http = java.net.http.HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + second.dataPort();
                assertThat(status(http, base + "/api/task/offline-route/v1/models", token)).isEqualTo(200);
                assertThat(status(http, base + "/api/task/offline-route/v1/models", revoked)).isEqualTo(401);
                List<AuditEntry> audit = second.store().audit(null, null, null);
                assertThat(audit).extracting(AuditEntry::actor).containsOnly("cli:" + System.getProperty("user.name"));
                assertThat(audit).extracting(AuditEntry::address).containsOnly("local");
            }

            // tampering with the stopped gateway's audit trail is reported with the entry
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("atrium.db"));
                 Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE audit SET actor = 'someone-else' WHERE seq = 2");
            }
            Run broken = run(where, "audit", "verify");
            assertThat(broken.exit()).isEqualTo(ExitCodes.AUDIT_BROKEN);
            assertThat(broken.out()).contains("audit chain broken: entry 2");
            JsonNode j = Json.mapper().readTree(run(where, "audit", "verify", "--json").out());
            assertThat(j.path("intact").asBoolean()).isFalse();

            Run nowhere = cli("tenant", "list", "--gateway", down, "--data-dir", dir.resolve("missing").toString());
            assertThat(nowhere.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(nowhere.err()).contains("No gateway is listening");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Run run(String[] where, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of(where));
        return cli(a.toArray(String[]::new));
    }

    static int status(java.net.http.HttpClient http, String url, String token) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
