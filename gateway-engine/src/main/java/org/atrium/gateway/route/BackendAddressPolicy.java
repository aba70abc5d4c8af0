package org.atrium.gateway.route;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.atrium.gateway.security.CidrBlock;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;

/**
 * Where a route's backends may point. Loopback and private addresses are fine (that is where GPU
 * servers live); link-local and cloud metadata addresses ({@code 169.254.0.0/16}, {@code fe80::/10},
 * {@code fd00:ec2::254}), the gateway's own listeners and its Redis are refused unless
 * {@code server.allowed_backend_addresses} lists the address. Host names are resolved once, when the
 * route is checked; one that does not resolve is let through (it cannot reach anything yet).
 */
public final class BackendAddressPolicy {
    /** No check at all (tests of other parts, the offline CLI). */
    public static final BackendAddressPolicy NONE = new BackendAddressPolicy(List.of(), List.of(), false);

    private static final List<CidrBlock> FORBIDDEN = List.of(CidrBlock.parse("169.254.0.0/16"),
            CidrBlock.parse("fe80::/10"), CidrBlock.parse("fd00:ec2::254/128"));

    /** An address of the gateway itself: a listener or its Redis. */
    public record Own(String what, String host, int port) {
    }

    private final List<CidrBlock> allowed;
    private final List<Own> own;
    private final boolean enabled;

    public BackendAddressPolicy(List<String> allowed, List<Own> own) {
        this(allowed, own, true);
    }

    private BackendAddressPolicy(List<String> allowed, List<Own> own, boolean enabled) {
        this.allowed = allowed.stream().map(CidrBlock::parse).toList();
        this.own = List.copyOf(own);
        this.enabled = enabled;
    }

    /** Why a backend of a route may not be used: its position in {@code backends} and the reason. */
    public record Refusal(int backend, String reason) {
    }

    /** Why {@code spec} may not be used, naming the field ({@code routes[id].backends[i].url}), or empty. */
    public Optional<String> refusal(RouteSpec spec) {
        return check(spec).map(r -> "routes[" + spec.id() + "].backends[" + r.backend() + "].url: " + r.reason());
    }

    /** The first backend of {@code spec} this policy refuses, or empty. */
    public Optional<Refusal> check(RouteSpec spec) {
        if (!enabled) {
            return Optional.empty();
        }
        for (int i = 0; i < spec.backends().size(); i++) {
            BackendSpec b = spec.backends().get(i);
            URI uri = URI.create(b.url());
            for (InetAddress a : addresses(uri.getHost())) {
                byte[] bytes = a.getAddress();
                if (allowed.stream().anyMatch(c -> c.contains(bytes))) {
                    continue;
                }
                if (FORBIDDEN.stream().anyMatch(c -> c.contains(bytes))) {
                    return Optional.of(new Refusal(i, a.getHostAddress() + " is a link-local or cloud metadata address;"
                            + " list it in server.allowed_backend_addresses to allow it"));
                }
                int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
                for (Own o : own) {
                    if (o.port() == port && sameHost(a, o.host())) {
                        return Optional.of(new Refusal(i, a.getHostAddress() + ":" + port + " is the gateway's own " + o.what()
                                + "; list it in server.allowed_backend_addresses to allow it"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean sameHost(InetAddress backend, String ownHost) {
        for (InetAddress o : addresses(ownHost)) {
            if (o.isAnyLocalAddress()) {
                if (backend.isLoopbackAddress() || backend.isAnyLocalAddress() || local(backend)) {
                    return true;
                }
            } else if (o.equals(backend) || o.isLoopbackAddress() && backend.isLoopbackAddress()
                    || o.isLoopbackAddress() && backend.isAnyLocalAddress()) {
                return true;
            }
        }
        return false;
    }

    private static boolean local(InetAddress a) {
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static List<InetAddress> addresses(String host) {
        if (host == null || host.isEmpty()) {
            return List.of();
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return new ArrayList<>(List.of(InetAddress.getAllByName(h)));
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }
}
