package net.corosio.nio;

import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose engines are the real context's, except that every delegated task
 * they hand out records the thread that runs it — so a test can see where a backend runs the
 * handshake's crypto.
 */
final class TaskRecordingContext {

    private TaskRecordingContext() {}

    /**
     * Wraps a context.
     *
     * @param real the context that does the work
     * @param taskThreads receives the thread of every delegated task run
     * @return the recording context
     */
    static SSLContext wrap(SSLContext real, List<Thread> taskThreads) {
        SSLContextSpi spi = new SSLContextSpi() {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
                throw new KeyManagementException("already initialised");
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return real.getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return real.getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                return new Recording(real.createSSLEngine(), taskThreads);
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                return new Recording(real.createSSLEngine(host, port), taskThreads);
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return real.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return real.getClientSessionContext();
            }

            @Override
            protected SSLParameters engineGetDefaultSSLParameters() {
                return real.getDefaultSSLParameters();
            }

            @Override
            protected SSLParameters engineGetSupportedSSLParameters() {
                return real.getSupportedSSLParameters();
            }
        };
        return new SSLContext(spi, real.getProvider(), real.getProtocol()) {};
    }

    /** Delegates everything to the real engine, wrapping its delegated tasks. */
    private static final class Recording extends SSLEngine {
        private final SSLEngine engine;
        private final List<Thread> taskThreads;

        Recording(SSLEngine engine, List<Thread> taskThreads) {
            super(engine.getPeerHost(), engine.getPeerPort());
            this.engine = engine;
            this.taskThreads = taskThreads;
        }

        @Override
        public Runnable getDelegatedTask() {
            Runnable task = engine.getDelegatedTask();
            return task == null ? null : () -> {
                taskThreads.add(Thread.currentThread());
                task.run();
            };
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return engine.wrap(srcs, offset, length, dst);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            return engine.unwrap(src, dsts, offset, length);
        }

        @Override
        public void closeInbound() throws SSLException {
            engine.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return engine.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            engine.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return engine.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return engine.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return engine.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            engine.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return engine.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return engine.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            engine.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return engine.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return engine.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            engine.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return engine.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            engine.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return engine.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            engine.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return engine.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            engine.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return engine.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            engine.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return engine.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return engine.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            engine.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return engine.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return engine.getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            engine.setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return engine.getHandshakeApplicationProtocolSelector();
        }
    }
}
