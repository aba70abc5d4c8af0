package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data listener speaks TLS from a PKCS#12 keystore or PEM files. */
class TlsTest {
    @TempDir
    Path dir;

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private HttpClient trusting(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(p12.toFile())) {
            ks.load(in, "changeit-test".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    @Test
    void pkcs12AndPem() throws Exception {
        Path p12 = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "atrium", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", p12.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit-test");
        try (TestGateway gw = TestGateway.start("server:\n  tls:\n    keystore_file: " + p12 + "\n    keystore_password: changeit-test\n")) {
            HttpResponse<String> r = trusting(p12).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + gw.server().dataPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("OK\n");
        }
        // The same key and certificate as PEM files.
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:changeit-test", "-nocerts", "-nodes", "-out", dir.resolve("k.pem").toString());
        run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", dir.resolve("k.pem").toString(), "-out", key.toString());
        run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:changeit-test", "-nokeys", "-clcerts", "-out", cert.toString());
        try (TestGateway gw = TestGateway.start("server:\n  tls:\n    cert_file: " + cert + "\n    key_file: " + key + "\n")) {
            HttpResponse<String> r = trusting(p12).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + gw.server().dataPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
