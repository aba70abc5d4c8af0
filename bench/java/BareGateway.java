import io.helidon.webserver.WebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.atrium.gateway.http.AccessLog;
import org.atrium.gateway.http.DataPathService;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.pipeline.Pipeline;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.gateway.pipeline.Stage;
import org.atrium.gateway.proxy.UpstreamProxy;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.model.BackendSpec;
import org.atrium.model.ErrorCode;
import org.atrium.model.RouteSpec;

/**
 * Bench-only "features off" gateway: the same Helidon listener options, {@link DataPathService} and
 * {@link UpstreamProxy} as Atrium, but a pipeline of one stage that only resolves the route by task id
 * (no token, bans, limits, admission, cache), no access log, no usage accounting, no traffic hooks.
 * The difference to the full gateway is the cost of the features; what is left is framework + proxy.
 *
 * Usage: {@code java -cp atrium-gateway.jar:classes BareGateway PORT FAST_BACKEND_PORT SSE_BACKEND_PORT}
 */
public final class BareGateway {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        org.atrium.gateway.http.HelidonTuning.apply(); // as GatewayServer does: same framework cost in both
        RouteRegistry routes = new RouteRegistry(Clock.systemUTC(), Backend.HealthPolicy.DEFAULT);
        routes.setFileRoutes(List.of(route("fast", args[1]), route("sse", args[2])));
        Stage routeOnly = new Stage() {
            @Override
            public int order() {
                return ROUTE;
            }

            @Override
            public void apply(Exchange ex) throws Rejection {
                ex.route(routes.table().byId(ex.taskId()).orElseThrow(() -> new Rejection(ErrorCode.NOT_FOUND)));
            }
        };
        Pipeline pipeline = new Pipeline(List.of(routeOnly));
        DataPathService data = new DataPathService(pipeline, pipeline, new UpstreamProxy(), routes, null,
                AccessLog.disabled(), List.of(), 10L * 1024 * 1024, Clock.systemUTC(), () -> "READY\n", List.of());
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .maxTcpConnections(20_000)
                .idleConnectionTimeout(Duration.ofSeconds(120))
                .connectionOptions(s -> s.tcpNoDelay(true))
                .routing(r -> r.register(data))
                .build()
                .start();
        System.out.println("BareGateway ready on " + server.port());
    }

    private static RouteSpec route(String id, String backendPort) {
        return new RouteSpec(id, null, List.of(new BackendSpec("http://127.0.0.1:" + backendPort, 1, 100_000)),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
