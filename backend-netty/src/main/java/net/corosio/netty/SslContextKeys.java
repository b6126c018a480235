package net.corosio.netty;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import net.corosio.ErrorKind;
import net.corosio.TransportException;

/**
 * The key and trust managers inside a JDK {@link SSLContext}, for engines that cannot use the
 * context itself (OpenSSL). The JDK offers no way to ask a context for them, so they are read from
 * its SunJSSE implementation reflectively, which needs the JVM options {@value #OPENS}.
 *
 * @param keyManager the context's key manager (one that chooses no key if it was given none)
 * @param trustManager the context's trust manager (the JDK's default trust if it was given none)
 */
record SslContextKeys(X509ExtendedKeyManager keyManager, X509TrustManager trustManager) {

    /** What the JVM must be started with (on the module path, open them to {@code net.corosio.netty}). */
    static final String OPENS = "--add-opens java.base/javax.net.ssl=ALL-UNNAMED "
            + "--add-opens java.base/sun.security.ssl=ALL-UNNAMED";

    /**
     * Reads the managers of a context.
     *
     * @param context a SunJSSE context
     * @return its managers
     * @throws TransportException if the JVM does not open the JDK's internals, or the context is
     *     not SunJSSE's
     */
    static SslContextKeys of(SSLContext context) throws TransportException {
        try {
            Field spiField = SSLContext.class.getDeclaredField("contextSpi");
            spiField.setAccessible(true);
            SSLContextSpi spi = (SSLContextSpi) spiField.get(context);
            X509ExtendedKeyManager keys = (X509ExtendedKeyManager) invoke(spi, "getX509KeyManager");
            X509TrustManager trust = (X509TrustManager) invoke(spi, "getX509TrustManager");
            return new SslContextKeys(keys, trust);
        } catch (InaccessibleObjectException e) {
            throw new TransportException(ErrorKind.IO, "netty.tls=openssl reads the key and trust managers of the "
                    + "TlsConfig's SSLContext, which the JDK keeps private: start the JVM with " + OPENS, e);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new TransportException(ErrorKind.IO, "netty.tls=openssl cannot read the key and trust managers of "
                    + context.getProvider().getName() + "'s SSLContext (" + context.getProtocol()
                    + "); only the JDK's SunJSSE contexts are supported", e);
        }
    }

    /**
     * Fails early, when the transport is created, if the JDK's internals are not open.
     *
     * @throws TransportException if they are not
     */
    static void checkAccessible() throws TransportException {
        try {
            of(SSLContext.getInstance("TLS"));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new TransportException(ErrorKind.IO, "the JDK has no TLS SSLContext", e);
        }
    }

    private static Object invoke(SSLContextSpi spi, String name) throws ReflectiveOperationException {
        for (Class<?> type = spi.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Method method = type.getDeclaredMethod(name);
                method.setAccessible(true);
                return method.invoke(spi);
            } catch (NoSuchMethodException e) {
                // declared higher up (SSLContextImpl)
            } catch (InvocationTargetException e) {
                throw e;
            }
        }
        throw new NoSuchMethodException(spi.getClass().getName() + "." + name + "()");
    }
}
