package io.jepoll.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Certificates for the tests, made when first needed by the running JDK's {@code keytool} in a temporary directory
 * that is deleted when the JVM exits: no private key is ever committed. Each identity is a PKCS#12 keystore and the
 * same certificate and key as PEM files (written here from the keystore, as {@code openssl} would write them), so a
 * test can configure the server either way and hand curl or openssl the certificate.
 */
public final class TestCertificates {
    private TestCertificates() {}

    /** The password of every test keystore. */
    public static final String PASSWORD = "jepoll-test";

    /** One self-signed identity: its files and its certificate. */
    public record Identity(Path keyStore, Path passwordFile, Path certificatePem, Path keyPem, X509Certificate certificate) {
        /** The certificate's serial number, in hex as openssl prints it. */
        public String serialHex() { return certificate.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT); }

        public BigInteger serial() { return certificate.getSerialNumber(); }
    }

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static Path dir;
    private static Identity localhost, client;
    private static TlsContext server;

    /** The server certificate most tests use: EC P-256, for "localhost" and 127.0.0.1. */
    public static synchronized Identity localhost() {
        if (localhost == null) localhost = create("EC", "localhost", "dns:localhost,ip:127.0.0.1");
        return localhost;
    }

    /** A client certificate (RSA), self-signed: it is its own CA for --tls-client-ca. */
    public static synchronized Identity client() {
        if (client == null) client = create("RSA", "jepoll-test-client", null);
        return client;
    }

    /** The server side of {@link #localhost()}, built once (its PEM files). */
    public static synchronized TlsContext serverContext() {
        if (server == null) {
            try {
                server = TlsContext.pem(localhost().certificatePem(), localhost().keyPem());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    /**
     * A new identity from keytool.
     *
     * @param keyAlgorithm "EC" (P-256) or "RSA" (2048 bits)
     * @param commonName   the subject's CN
     * @param san          keytool's SAN list ("dns:a.test,ip:127.0.0.1"), or null for none
     */
    public static synchronized Identity create(String keyAlgorithm, String commonName, String san) {
        try {
            Path d = dir();
            String name = "id" + COUNT.incrementAndGet();
            Path p12 = d.resolve(name + ".p12");
            List<String> cmd = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", name, "-keyalg", keyAlgorithm,
                    "-dname", "CN=" + commonName, "-validity", "3", "-keystore", p12.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD));
            cmd.addAll(keyAlgorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
            if (san != null) cmd.addAll(List.of("-ext", "SAN=" + san));
            run(cmd);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD.toCharArray());
            X509Certificate cert = (X509Certificate) ks.getCertificate(name);
            Path certPem = d.resolve(name + "-cert.pem");
            Path keyPem = d.resolve(name + "-key.pem");
            Path password = d.resolve(name + ".password");
            Files.writeString(certPem, "subject=CN=" + commonName + "\n" + pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(password, PASSWORD + "\n");
            return new Identity(p12, password, certPem, keyPem, cert);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate with keytool", e);
        }
    }

    /**
     * Puts {@code id}'s PEM files at {@code dir}/cert.pem and {@code dir}/key.pem, replacing what is there: the files a
     * context made by {@code TlsContext.pem(cert, key)} reads again on reload.
     */
    public static void install(Identity id, Path dir) throws IOException {
        Files.copy(id.certificatePem(), dir.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(id.keyPem(), dir.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@link #install}, then a context of those files. */
    public static TlsContext installed(Identity id, Path dir) throws IOException {
        install(id, dir);
        return TlsContext.pem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    }

    /** A client context that trusts exactly these certificates (and, with {@code clientIdentity}, presents that one). */
    public static SSLContext clientContext(Identity clientIdentity, X509Certificate... trusted) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < trusted.length; i++) anchors.setCertificateEntry("trusted-" + i, trusted[i]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            KeyManagerFactory kmf = null;
            if (clientIdentity != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(clientIdentity.keyStore())) {
                    ks.load(in, PASSWORD.toCharArray());
                }
                kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(ks, PASSWORD.toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context trusting {@link #localhost()}. */
    public static SSLContext trustingLocalhost() { return Holder.CLIENT; }

    private static final class Holder {
        static final SSLContext CLIENT = clientContext(null, localhost().certificate());
    }

    /** PEM text of one block, 64 columns, as openssl writes it. */
    public static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    /** A scratch directory for a test's own files beside the certificates (deleted at exit). */
    public static synchronized Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jepoll-tls-test");
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
        }
        return dir;
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

}
