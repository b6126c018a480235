package net.corosio.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import net.corosio.TlsConfig;

/** A server's TLS settings from a PKCS12 key store file, with the API's secure defaults. */
public final class TlsFiles {

    private TlsFiles() {}

    /**
     * Loads a server's key and certificate chain.
     *
     * @param keyStore a PKCS12 file holding one private key entry
     * @param password the file's (and the key's) password
     * @return the server configuration: TLS 1.3 and 1.2, no client authentication
     * @throws IOException if the file cannot be read or the password is wrong
     * @throws GeneralSecurityException if it holds no usable key
     */
    public static TlsConfig serverConfig(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return TlsConfig.builder(context).build();
    }
}
