package net.corosio.tck;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates the TLS rules need, generated in memory when first used (EC P-256, valid for a
 * day) — none is committed: a trusted CA with a server certificate (for {@code localhost}, {@code
 * corosio.test}, {@code 127.0.0.1} and {@code ::1}) and a client certificate; a certificate from
 * the same CA for another host; and a second, untrusted CA with a server certificate of its own.
 * Thread-safe; one instance per JVM.
 */
public final class TestCertificates {

    /** The DNS name the server certificate carries besides {@code localhost}, for SNI rules. */
    public static final String SERVER_NAME = "corosio.test";

    /** The only name the wrong-host certificate carries. */
    public static final String WRONG_HOST = "wrong-host.corosio.invalid";

    private static final char[] PASSWORD = "corosio-test".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private static volatile TestCertificates instance;

    private final KeyPair caKey;
    private final X509Certificate ca;
    private final Issued server;
    private final Issued client;
    private final Issued wrongHost;
    private final Issued untrustedServer;
    private final X509Certificate untrustedCa;

    private record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {}

    private TestCertificates() throws GeneralSecurityException, OperatorCreationException {
        caKey = newKeyPair();
        ca = sign(new X500Name("CN=corosio test CA"), caKey, null, caKey, true, null, null);
        server = issue("CN=localhost", KeyPurposeId.id_kp_serverAuth, serverNames("localhost", SERVER_NAME));
        client = issue("CN=corosio test client", KeyPurposeId.id_kp_clientAuth, null);
        wrongHost = issue("CN=" + WRONG_HOST, KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(new GeneralName(GeneralName.dNSName, WRONG_HOST)));
        KeyPair otherCaKey = newKeyPair();
        untrustedCa = sign(new X500Name("CN=corosio untrusted CA"), otherCaKey, null, otherCaKey, true, null, null);
        KeyPair leaf = newKeyPair();
        untrustedServer = new Issued(leaf.getPrivate(),
                sign(new X500Name("CN=localhost"), leaf, untrustedCa, otherCaKey, false,
                        KeyPurposeId.id_kp_serverAuth, serverNames("localhost", SERVER_NAME)),
                untrustedCa);
    }

    /**
     * Returns the JVM's certificates, generating them on first use.
     *
     * @return the certificates
     */
    public static TestCertificates get() {
        TestCertificates local = instance;
        if (local == null) {
            synchronized (TestCertificates.class) {
                local = instance;
                if (local == null) {
                    try {
                        local = new TestCertificates();
                    } catch (GeneralSecurityException | OperatorCreationException e) {
                        throw new IllegalStateException("cannot generate test certificates", e);
                    }
                    instance = local;
                }
            }
        }
        return local;
    }

    /**
     * A server context: the trusted server certificate, trusting the CA (for client certificates).
     *
     * @return a new context
     */
    public SSLContext serverContext() {
        return context(server, ca);
    }

    /**
     * A client context trusting the CA, with no certificate of its own.
     *
     * @return a new context
     */
    public SSLContext clientContext() {
        return context(null, ca);
    }

    /**
     * A client context trusting the CA and presenting the client certificate.
     *
     * @return a new context
     */
    public SSLContext clientContextWithCertificate() {
        return context(client, ca);
    }

    /**
     * A server context whose certificate names only {@link #WRONG_HOST}, from the trusted CA.
     *
     * @return a new context
     */
    public SSLContext wrongHostServerContext() {
        return context(wrongHost, ca);
    }

    /**
     * A server context whose certificate comes from a CA no client trusts.
     *
     * @return a new context
     */
    public SSLContext untrustedServerContext() {
        return context(untrustedServer, untrustedCa);
    }

    /**
     * Writes the trusted server's key and certificate chain to a PKCS12 file, for a server in
     * another JVM (the lab's forked servers). Its clients trust {@link #clientContext()}.
     *
     * @param file where to write
     * @param password the file's password
     * @throws java.io.IOException if it cannot be written
     */
    public void writeServerKeyStore(java.nio.file.Path file, char[] password) throws java.io.IOException {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("identity", server.key(), password,
                    new Certificate[] {server.certificate(), server.issuer()});
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                keyStore.store(out, password);
            }
        } catch (GeneralSecurityException e) {
            throw new java.io.IOException("cannot write the server key store", e);
        }
    }

    /**
     * Returns the client certificate, to compare with what a server sees.
     *
     * @return the client's certificate
     */
    public X509Certificate clientCertificate() {
        return client.certificate();
    }

    /**
     * Returns the trusted server certificate, to compare with what a client sees.
     *
     * @return the server's certificate
     */
    public X509Certificate serverCertificate() {
        return server.certificate();
    }

    private Issued issue(String subject, KeyPurposeId purpose, GeneralNames names)
            throws GeneralSecurityException, OperatorCreationException {
        KeyPair leaf = newKeyPair();
        return new Issued(leaf.getPrivate(), sign(new X500Name(subject), leaf, ca, caKey, false, purpose, names), ca);
    }

    private static GeneralNames serverNames(String... dnsNames) {
        GeneralName[] names = new GeneralName[dnsNames.length + 2];
        for (int i = 0; i < dnsNames.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        names[dnsNames.length] = new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress());
        names[dnsNames.length + 1] = new GeneralName(GeneralName.iPAddress, "::1");
        return new GeneralNames(names);
    }

    private static X509Certificate sign(
            X500Name subject,
            KeyPair subjectKey,
            X509Certificate issuer,
            KeyPair issuerKey,
            boolean isCa,
            KeyPurposeId purpose,
            GeneralNames names)
            throws GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuerName,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                subjectKey.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                if (names != null) {
                    builder.addExtension(Extension.subjectAlternativeName, false, names);
                }
            }
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode a certificate extension", e);
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256, new SecureRandom());
        return generator.generateKeyPair();
    }

    private static SSLContext context(Issued identity, X509Certificate trusted) {
        try {
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("identity", identity.key(), PASSWORD,
                        new Certificate[] {identity.certificate(), identity.issuer()});
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, PASSWORD);
            }
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("ca", trusted);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a test SSLContext", e);
        }
    }
}
