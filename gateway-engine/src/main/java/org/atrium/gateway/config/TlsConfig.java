package org.atrium.gateway.config;

import org.atrium.model.ValidationException;

/**
 * Optional TLS for the data listener: either PEM ({@code cert_file} + {@code key_file}) or PKCS#12
 * ({@code keystore_file} + {@code keystore_password}).
 */
public record TlsConfig(String certFile, String keyFile, String keystoreFile, String keystorePassword) {
    public TlsConfig {
        boolean pem = certFile != null || keyFile != null;
        boolean p12 = keystoreFile != null;
        ValidationException.require(pem != p12, "server.tls", "set either cert_file + key_file or keystore_file");
        ValidationException.require(!pem || (certFile != null && keyFile != null), "server.tls",
                "cert_file and key_file go together");
    }

    public boolean pem() {
        return certFile != null;
    }
}
