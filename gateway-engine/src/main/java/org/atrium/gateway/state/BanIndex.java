package org.atrium.gateway.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.atrium.gateway.security.CidrBlock;
import org.atrium.model.Ban;
import org.atrium.model.BanType;

/**
 * Immutable lookup structure over the bans: exact targets by hash, IP blocks by a scan of the
 * (few) CIDR bans. Expiry is checked against the clock at lookup, so a 2 s ban ends after 2 s
 * exactly, without waiting for a purge.
 */
public final class BanIndex {
    private final Map<BanType, Map<String, Ban>> exact;
    private final List<Map.Entry<CidrBlock, Ban>> blocks;

    private BanIndex(Map<BanType, Map<String, Ban>> exact, List<Map.Entry<CidrBlock, Ban>> blocks) {
        this.exact = exact;
        this.blocks = blocks;
    }

    public static final BanIndex EMPTY = of(List.of());

    public static BanIndex of(List<Ban> bans) {
        Map<BanType, Map<String, Ban>> exact = new EnumMap<>(BanType.class);
        List<Map.Entry<CidrBlock, Ban>> blocks = new ArrayList<>();
        for (Ban b : bans) {
            if (b.type() == BanType.IP) {
                CidrBlock block;
                try {
                    block = CidrBlock.parse(b.target());
                } catch (IllegalArgumentException e) {
                    continue; // validated on write; a bad legacy row must not break the index
                }
                if (block.prefix() == block.network().length * 8) {
                    exact.computeIfAbsent(BanType.IP, t -> new HashMap<>()).put(canonicalIp(b.target()), b);
                } else {
                    blocks.add(Map.entry(block, b));
                }
            } else {
                exact.computeIfAbsent(b.type(), t -> new HashMap<>()).put(b.target(), b);
            }
        }
        return new BanIndex(exact, List.copyOf(blocks));
    }

    /** The active ban for {@code target}, if any. IP targets match exact addresses and blocks. */
    public Optional<Ban> find(BanType type, String target, Instant now) {
        if (target == null) {
            return Optional.empty();
        }
        Map<String, Ban> m = exact.get(type);
        String key = type == BanType.IP ? canonicalIp(target) : target;
        Ban b = m == null ? null : m.get(key);
        if (b != null && b.activeAt(now)) {
            return Optional.of(b);
        }
        if (type == BanType.IP && !blocks.isEmpty()) {
            byte[] addr = CidrBlock.literal(target);
            for (Map.Entry<CidrBlock, Ban> e : blocks) {
                if (e.getKey().contains(addr) && e.getValue().activeAt(now)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** Canonical text of an IP (so {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one key). */
    public static String canonicalIp(String ip) {
        if (CidrBlock.canonicalDottedQuad(ip)) {
            return ip; // already as getHostAddress() writes it
        }
        byte[] b = CidrBlock.literal(ip);
        if (b == null) {
            return ip;
        }
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return ip;
        }
    }
}
