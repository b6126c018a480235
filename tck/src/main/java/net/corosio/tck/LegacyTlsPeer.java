package net.corosio.tck;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS 1.0/1.1 peer: the JDK's own TLS, run by {@link LegacyTlsPeers} in a JVM of its own whose
 * security properties enable the old protocols (the kit's JVM keeps the JDK's defaults, which
 * disable them, so the JDK engines of the backends under test are not weakened). It makes or
 * accepts one connection limited to {@code TLSv1.1} and {@code TLSv1}, tries the handshake, and
 * prints one line: {@code HANDSHAKE <protocol>} if the other side accepted, or {@code REFUSED
 * <exception>}. It trusts any certificate: the question is the protocol, not the identity.
 *
 * <p>Usage: {@code connect <port>} or {@code serve <pkcs12-file> <password>} (which first prints
 * {@code LISTENING <port>}).
 */
final class LegacyTlsPeer {

    static final String[] PROTOCOLS = {"TLSv1.1", "TLSv1"};
    private static final int TIMEOUT_MILLIS = 10_000;

    private LegacyTlsPeer() {}

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        SSLContext context = SSLContext.getInstance("TLS");
        SSLSocket socket;
        if (args[0].equals("connect")) {
            context.init(null, new TrustManager[] {new TrustingAnything()}, null);
            Socket plain = new Socket(loopback, Integer.parseInt(args[1]));
            plain.setSoTimeout(TIMEOUT_MILLIS);
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        } else {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(args[1])) {
                keys.load(in, args[2].toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, args[2].toCharArray());
            context.init(kmf.getKeyManagers(), new TrustManager[] {new TrustingAnything()}, null);
            SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, loopback);
            listener.setEnabledProtocols(PROTOCOLS);
            listener.setSoTimeout(TIMEOUT_MILLIS);
            System.out.println("LISTENING " + listener.getLocalPort());
            System.out.flush();
            socket = (SSLSocket) listener.accept();
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }
        socket.setEnabledProtocols(PROTOCOLS);
        try {
            socket.startHandshake();
            System.out.println("HANDSHAKE " + socket.getSession().getProtocol());
        } catch (IOException e) {
            System.out.println("REFUSED " + e);
        }
        System.out.flush();
        socket.close();
    }

    /** Accepts every certificate chain. */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
