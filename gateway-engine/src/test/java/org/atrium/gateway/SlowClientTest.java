package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** Idle keep-alive connections are closed by the server after the idle timeout. */
class SlowClientTest {
    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        try (TestGateway gw = TestGateway.start("server:\n  idle_timeout_seconds: 2\n");
             Socket s = new Socket("127.0.0.1", gw.server().dataPort())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[200];
            int n = in.read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            long t0 = System.nanoTime();
            int r;
            try {
                r = in.read();
            } catch (java.net.SocketException e) {
                r = -1;
            }
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r).isEqualTo(-1);
            assertThat(waitedMs).isLessThan(12_000);
        }
    }
}
