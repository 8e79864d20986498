package io.jepoll.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A server's TLS: its certificates and keys, the JDK {@link SSLContext} made of them, and
 * what is set on every connection's {@link SSLEngine}: TLS 1.3 and 1.2 only, the JDK's
 * default cipher suites (its {@code jdk.tls.disabledAlgorithms} keeps the weak ones out),
 * the server's order of preference, ALPN offering {@code http/1.1}, client certificates
 * when a client CA is given, and the JDK's session resumption (a session cache for 1.2,
 * tickets for 1.3).
 *
 * <pre>{@code
 * TlsContext tls = TlsContext.builder().certificate(Path.of("cert.pem"), Path.of("key.pem")).build();
 * HttpServer.builder().tls(tls).handler(h).start();
 * ...
 * tls.reload(); // new handshakes use the files as they are now; open connections carry on
 * }</pre>
 *
 * <p>Several certificates (PEM pairs, or the key entries of PKCS#12 keystores) are chosen
 * by the name the client asks for (SNI), matched against each certificate's subject
 * alternative names by the JDK's PKIX key manager; a client that names none, or a name no
 * certificate has, gets a certificate of the right key type anyway, the first configured.
 *
 * <p>{@link #reload()} reads the files again and swaps the whole context at once; a file
 * that fails to load leaves the current one in place. Thread-safe.
 */
public final class TlsContext {
    /** The protocol versions a server offers, newest first: nothing older than TLS 1.2. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** The ALPN protocol offered unless told otherwise. */
    public static final String HTTP_1_1 = "http/1.1";

    static {
        // The JDK's own switch against client-initiated renegotiation (TLS 1.2), read once when its
        // server handshake class loads. The event loops refuse renegotiation themselves as well;
        // this covers the blocking transports, whose SSLSocket drives the handshake inside the JDK.
        String key = "jdk.tls.rejectClientInitiatedRenegotiation";
        if (System.getProperty(key) == null) System.setProperty(key, "true");
    }

    /** Delegated handshake tasks, by default: each on a virtual thread of its own, never on an event loop. */
    private static final Executor VIRTUAL_TASKS = task -> Thread.ofVirtual().name("jepoll-tls-task").start(task);

    private final TlsSource source;           // null: built from a ready SSLContext, nothing to reload
    private final Duration handshakeTimeout;
    private final Executor handshakeExecutor;
    private volatile TlsSource.Loaded current;

    private TlsContext(TlsSource source, TlsSource.Loaded first, Duration handshakeTimeout, Executor handshakeExecutor) {
        this.source = source;
        this.current = first;
        this.handshakeTimeout = handshakeTimeout;
        this.handshakeExecutor = handshakeExecutor;
    }

    /** {@return a builder: add certificates (PEM or PKCS#12) or a ready {@link SSLContext}} */
    public static Builder builder() { return new Builder(); }

    /**
     * The common case: one PEM certificate chain and its PEM private key.
     *
     * @param certificateChain the server's certificate first, then its intermediates
     * @param privateKey       an unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC
     * @return the context
     * @throws IOException when a file cannot be read or does not hold what it should
     */
    public static TlsContext pem(Path certificateChain, Path privateKey) throws IOException {
        return builder().certificate(certificateChain, privateKey).build();
    }

    /**
     * A new server-side engine for one connection, from the current certificates.
     *
     * @return an engine in server mode with this context's parameters
     */
    public SSLEngine newEngine() {
        TlsSource.Loaded l = current;
        SSLEngine e = l.context().createSSLEngine();
        e.setUseClientMode(false);
        e.setSSLParameters(l.parameters());
        return e;
    }

    /**
     * The current JDK context (a new one after each successful {@link #reload()}).
     *
     * @return the context new connections are made from
     */
    public SSLContext sslContext() { return current.context(); }

    /**
     * What is set on every server socket or engine; a fresh copy the caller may change.
     *
     * @return protocols, cipher suites, ALPN and client authentication, as configured
     */
    public SSLParameters parameters() {
        SSLParameters p = current.parameters();
        SSLParameters copy = new SSLParameters(p.getCipherSuites(), p.getProtocols());
        copy.setApplicationProtocols(p.getApplicationProtocols());
        copy.setNeedClientAuth(p.getNeedClientAuth());
        copy.setUseCipherSuitesOrder(p.getUseCipherSuitesOrder());
        return copy;
    }

    /**
     * The server's own certificate of each configured identity (the first of each chain), as last loaded.
     *
     * @return the leaf certificates, in the order they were configured
     */
    public List<X509Certificate> certificates() { return current.leaves(); }

    /**
     * How long a connection may take from accept to a finished handshake.
     *
     * @return the handshake deadline
     */
    public Duration handshakeTimeout() { return handshakeTimeout; }

    /**
     * Where the engine's delegated tasks (key exchange, signatures, certificate checks) run, so
     * that an event loop never computes a handshake itself.
     *
     * @return the executor
     */
    public Executor handshakeExecutor() { return handshakeExecutor; }

    /** {@return whether {@link #reload()} can work: false when built from a ready {@link SSLContext}} */
    public boolean isReloadable() { return source != null; }

    /**
     * Reads the certificate and key files again and uses them for every new handshake from now
     * on; connections already open keep the certificate they were made with. When a file
     * cannot be read or does not hold a usable certificate and key, nothing changes.
     *
     * @throws IOException           when loading failed (the current certificates stay in use)
     * @throws IllegalStateException when built from a ready SSLContext, which has no files to read
     */
    public void reload() throws IOException {
        if (source == null) throw new IllegalStateException("built from a ready SSLContext: there are no files to reload");
        current = source.load(); // one volatile write: a handshake sees the old context or the new one, whole
    }

    /** Collects what a {@link TlsContext} is made of; {@link #build()} reads the files. */
    public static final class Builder {
        private final List<TlsSource.PemPair> pems = new ArrayList<>();
        private final List<TlsSource.KeyStoreFile> keyStores = new ArrayList<>();
        private Path clientAuthorities;
        private SSLContext ready;
        private List<String> applicationProtocols = List.of(HTTP_1_1);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Executor handshakeExecutor = VIRTUAL_TASKS;

        private Builder() {}

        /**
         * Adds a certificate chain and its private key (PEM). Call again for more names (SNI).
         *
         * @param certificateChain the server's certificate first, then its intermediates
         * @param privateKey       an unencrypted PKCS#8 key, RSA or EC
         * @return this builder
         */
        public Builder certificate(Path certificateChain, Path privateKey) {
            pems.add(new TlsSource.PemPair(Objects.requireNonNull(certificateChain), Objects.requireNonNull(privateKey)));
            return this;
        }

        /**
         * Adds every key entry of a PKCS#12 keystore; its password is the first line of {@code passwordFile}.
         *
         * @param keyStore     a {@code .p12} file
         * @param passwordFile a file holding the password (a trailing newline is not part of it)
         * @return this builder
         */
        public Builder keyStore(Path keyStore, Path passwordFile) {
            keyStores.add(new TlsSource.KeyStoreFile(Objects.requireNonNull(keyStore), Objects.requireNonNull(passwordFile), null));
            return this;
        }

        /**
         * Adds every key entry of a PKCS#12 keystore opened with {@code password} (copied).
         *
         * @param keyStore a {@code .p12} file
         * @param password its password
         * @return this builder
         */
        public Builder keyStore(Path keyStore, char[] password) {
            keyStores.add(new TlsSource.KeyStoreFile(Objects.requireNonNull(keyStore), null, password.clone()));
            return this;
        }

        /**
         * Requires a client certificate issued by one of the CA certificates in {@code caCertificates} (PEM).
         *
         * @param caCertificates one or more CERTIFICATE blocks
         * @return this builder
         */
        public Builder clientAuthorities(Path caCertificates) {
            this.clientAuthorities = Objects.requireNonNull(caCertificates);
            return this;
        }

        /**
         * Uses a ready JDK context instead of files (then {@link TlsContext#reload()} is not available).
         * The protocol versions, ALPN and client authentication of this builder are still applied.
         *
         * @param context an initialised context with a server key manager
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.ready = Objects.requireNonNull(context);
            return this;
        }

        /**
         * The ALPN protocols offered, in order of preference (default {@code http/1.1}).
         *
         * @param protocols protocol names as registered with IANA
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            if (protocols.length == 0) throw new IllegalArgumentException("at least one application protocol");
            this.applicationProtocols = List.copyOf(Arrays.asList(protocols));
            return this;
        }

        /**
         * How long a connection may take from accept to a finished handshake (default 10 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Where delegated handshake tasks run (default: a virtual thread each).
         *
         * @param executor any executor that runs every task it accepts
         * @return this builder
         */
        public Builder handshakeExecutor(Executor executor) {
            this.handshakeExecutor = Objects.requireNonNull(executor);
            return this;
        }

        /**
         * Reads the files and builds the context.
         *
         * @return the context
         * @throws IOException when a file cannot be read or does not hold a usable certificate, key or keystore
         */
        public TlsContext build() throws IOException {
            if (ready != null && (!pems.isEmpty() || !keyStores.isEmpty())) {
                throw new IllegalStateException("either a ready SSLContext or certificate files, not both");
            }
            if (ready == null && pems.isEmpty() && keyStores.isEmpty()) {
                throw new IllegalStateException("no certificate: add certificate(chain, key), keyStore(...) or sslContext(...)");
            }
            TlsSource source = new TlsSource(List.copyOf(pems), List.copyOf(keyStores), clientAuthorities, applicationProtocols);
            if (ready != null) return new TlsContext(null, source.wrap(ready), handshakeTimeout, handshakeExecutor);
            return new TlsContext(source, source.load(), handshakeTimeout, handshakeExecutor);
        }
    }
}
