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

    /** Protects nothing secret: the key store holds a key generated for this run. */
    public static final String KEY_STORE_PASSWORD = "corosio-lab";

    private LabTls() {}

    /**
     * Writes this run's server key (from the kit's generated CA) for a forked server.
     *
     * @param dir where to put it
     * @return the PKCS12 file, whose password is {@link #KEY_STORE_PASSWORD}
     * @throws IOException if it cannot be written
     */
    public static Path writeServerKeyStore(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("server-key.p12");
        net.corosio.tck.TestCertificates.get().writeServerKeyStore(file, KEY_STORE_PASSWORD.toCharArray());
        return file;
    }

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
