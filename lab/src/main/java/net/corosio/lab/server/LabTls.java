package net.corosio.lab.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import net.corosio.TlsConfig;

/**
 * TLS for lab runs: the lab generates a private CA and a server key for each run (see the kit's
 * {@code TestCertificates}), hands the server JVM a PKCS12 file, and its load generator trusts
 * only that CA. Nothing trusts everything.
 */
public final class LabTls {

    private LabTls() {}

    /**
     * Builds a server configuration from a PKCS12 key store.
     *
     * @param keyStore the file
     * @param password its password
     * @return the server's TLS configuration
     * @throws IOException if the file cannot be read
     * @throws GeneralSecurityException if it holds no usable key
     */
    public static TlsConfig serverConfig(String keyStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(keyStore))) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return TlsConfig.builder(context).build();
    }
}
