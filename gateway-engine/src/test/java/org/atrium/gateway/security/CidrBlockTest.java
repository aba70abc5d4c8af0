package org.atrium.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.atrium.gateway.state.BanIndex;
import org.junit.jupiter.api.Test;

class CidrBlockTest {
    /** The fast IPv4 path reads exactly what InetAddress reads, and declines everything else. */
    @Test
    void dottedQuadAgreesWithInetAddress() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        String alphabet = "0123456789.";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + r.nextInt(16);
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = i % 2 == 0 ? b.toString()
                    : r.nextInt(300) + "." + r.nextInt(300) + "." + r.nextInt(300) + "." + (r.nextBoolean() ? "0" : "") + r.nextInt(300);
            byte[] fast = CidrBlock.dottedQuad(s);
            if (fast != null) {
                assertThat(fast).as(s).isEqualTo(InetAddress.getByName(s).getAddress());
                assertThat(InetAddress.getByAddress(fast).getHostAddress()).as(s).isEqualTo(s);
                assertThat(BanIndex.canonicalIp(s)).isEqualTo(s);
            }
        }
        assertThat(CidrBlock.dottedQuad("127.0.0.1")).containsExactly(127, 0, 0, 1);
        assertThat(CidrBlock.dottedQuad("255.255.255.255")).isNotNull();
        for (String no : new String[] {"256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5", "::1", "a.b.c.d"}) {
            assertThat(CidrBlock.dottedQuad(no)).as(no).isNull();
        }
        assertThat(CidrBlock.literal("10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(CidrBlock.literal("::ffff:10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(BanIndex.canonicalIp("0:0:0:0:0:0:0:1")).isEqualTo(BanIndex.canonicalIp("::1"));
        assertThat(CidrBlock.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
    }
}
