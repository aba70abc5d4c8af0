package org.atrium.gateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address. */
public record CidrBlock(byte[] network, int prefix, String text) {
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6ISH = java.util.regex.Pattern.compile("[0-9A-Za-z:.%]+");

    public static CidrBlock parse(String s) {
        String t = s.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: " + s);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + s);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + s);
            }
        }
        return new CidrBlock(mask(bytes, prefix), prefix, t);
    }

    /** Parses an IP literal without any DNS lookup; null when it is not one. */
    public static byte[] literal(String addr) {
        if (addr == null || addr.isEmpty() || addr.length() > 45) {
            return null;
        }
        byte[] v4 = dottedQuad(addr);
        if (v4 != null) {
            return v4;
        }
        String a = addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr;
        boolean v6 = a.indexOf(':') >= 0;
        if (!v6 && !IPV4.matcher(a).matches()) {
            return null;
        }
        if (v6 && !IPV6ISH.matcher(a).matches()) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress(); // literal: no lookup happens
            return normalise(b);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /**
     * The common case without a regex or {@code InetAddress}: four decimal parts of 0..255 without
     * leading zeros (the form {@link InetAddress#getHostAddress()} writes), else null and the general
     * path decides. Every call checks the caller's address against the bans and the per-IP rate.
     */
    static byte[] dottedQuad(String a) {
        int n = a.length();
        if (n < 7 || n > 15) {
            return null;
        }
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? a.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null; // a leading zero: octal to some parsers, left to the general path
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    /** Whether {@code a} is an IPv4 address in the form {@link #dottedQuad} reads, which is its canonical text. */
    public static boolean canonicalDottedQuad(String a) {
        return a != null && dottedQuad(a) != null;
    }

    /** IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are treated as the IPv4 address. */
    private static byte[] normalise(byte[] b) {
        if (b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mapped) {
                return Arrays.copyOfRange(b, 12, 16);
            }
        }
        return b;
    }

    private static byte[] mask(byte[] b, int prefix) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    public boolean contains(byte[] address) {
        return address != null && address.length == network.length && Arrays.equals(mask(address, prefix), network);
    }

    public boolean contains(String address) {
        return contains(literal(address));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
