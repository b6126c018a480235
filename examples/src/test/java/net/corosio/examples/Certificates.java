package net.corosio.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import net.corosio.TlsConfig;
import net.corosio.tck.TestCertificates;

/**
 * Files a TLS test needs, from the kit's generated CA: the server's PKCS12 key store (what an
 * example's {@code --keystore} takes) and the CA certificate in PEM (what curl's {@code --cacert}
 * and openssl's {@code -CAfile} take). Nothing is committed; nothing trusts everything.
 *
 * @param keyStore the server's key store
 * @param password its password
 * @param caPem the CA certificate
 */
public record Certificates(Path keyStore, char[] password, Path caPem) {

    /**
     * Writes the files into a directory.
     *
     * @param dir a temporary directory
     * @return the files
     * @throws IOException if they cannot be written
     * @throws GeneralSecurityException if the key store cannot be read back
     */
    public static Certificates writeTo(Path dir) throws IOException, GeneralSecurityException {
        char[] password = "examples-test".toCharArray();
        Path keyStore = dir.resolve("server.p12");
        TestCertificates.get().writeServerKeyStore(keyStore, password);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        Certificate[] chain = store.getCertificateChain(store.aliases().nextElement());
        Certificate ca = chain[chain.length - 1];
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return new Certificates(keyStore, password, caPem);
    }

    /**
     * Returns the server's TLS settings, as an example's {@code --tls} makes them.
     *
     * @return the configuration
     * @throws IOException if the key store cannot be read
     * @throws GeneralSecurityException if it holds no usable key
     */
    public TlsConfig serverConfig() throws IOException, GeneralSecurityException {
        return TlsFiles.serverConfig(keyStore, password);
    }
}
