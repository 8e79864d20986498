package io.jepoll.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The files a {@link TlsContext} is made of, and how they become a JDK context: every
 * identity (a PEM pair, each key entry of a keystore) goes into one in-memory PKCS#12
 * keystore, handed to the PKIX key manager, which picks the certificate by SNI and key type
 * ({@link KeptKeys} hands its key out from memory).
 * Loading is all or nothing: the result is built completely before anyone sees it.
 */
record TlsSource(List<PemPair> pems, List<KeyStoreFile> keyStores, Path clientAuthorities, List<String> applicationProtocols) {

    record PemPair(Path chain, Path key) {}

    /** A PKCS#12 file and its password, given directly or as the first line of a file. */
    record KeyStoreFile(Path file, Path passwordFile, char[] password) {}

    /** One load: the context, the parameters for its engines, and each identity's own certificate. */
    record Loaded(SSLContext context, SSLParameters parameters, List<X509Certificate> leaves) {}

    /** The in-memory keystore's password: it never leaves this process, it only satisfies the API. */
    private static final char[] MEMORY_PASSWORD = "jepoll".toCharArray();
    private static final byte[] PROBE = "does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

    Loaded load() throws IOException {
        KeyStore identities = emptyKeyStore();
        List<X509Certificate> leaves = new ArrayList<>();
        java.util.Map<String, PrivateKey> keys = new java.util.HashMap<>();
        java.util.Map<String, X509Certificate[]> chains = new java.util.HashMap<>();
        for (PemPair p : pems) {
            List<X509Certificate> chain = PemFiles.certificates(p.chain());
            PrivateKey key = PemFiles.privateKey(p.key());
            checkPair(key, chain.getFirst(), p);
            add(identities, key, chain.toArray(new Certificate[0]), leaves);
        }
        for (KeyStoreFile k : keyStores) addKeyStore(identities, k, leaves);
        try {
            for (String alias : Collections.list(identities.aliases())) {
                keys.put(alias, (PrivateKey) identities.getKey(alias, MEMORY_PASSWORD)); // decrypted once, here
                Certificate[] chain = identities.getCertificateChain(alias);
                chains.put(alias, java.util.Arrays.copyOf(chain, chain.length, X509Certificate[].class));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX"); // chooses by SNI, unlike SunX509
            kmf.init(identities, MEMORY_PASSWORD);
            javax.net.ssl.KeyManager[] managers = kmf.getKeyManagers();
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof javax.net.ssl.X509ExtendedKeyManager m) managers[i] = new KeptKeys(m, keys, chains);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers, trustManagers(), random());
            return new Loaded(context, parameters(context), List.copyOf(leaves));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a TLS context of these certificates: " + e.getMessage(), e);
        }
    }

    /**
     * The randomness of this context's handshakes and tickets: a DRBG of its own. The JDK's default
     * (NativePRNG) serialises every thread of the process on one lock, event loops included.
     */
    private static java.security.SecureRandom random() {
        try {
            return java.security.SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return null; // the JDK's default, then
        }
    }

    /** A ready context: only the parameters are ours. */
    Loaded wrap(SSLContext context) throws IOException {
        if (clientAuthorities != null) {
            throw new IllegalStateException("with a ready SSLContext, put the client CAs in its trust managers and require client auth there");
        }
        return new Loaded(context, parameters(context), List.of());
    }

    private SSLParameters parameters(SSLContext context) throws IOException {
        SSLParameters p = context.getDefaultSSLParameters();
        List<String> supported = List.of(context.getSupportedSSLParameters().getProtocols());
        List<String> protocols = TlsContext.PROTOCOLS.stream().filter(supported::contains).toList();
        if (protocols.isEmpty()) throw new IOException("this JDK supports neither TLS 1.3 nor TLS 1.2");
        p.setProtocols(protocols.toArray(new String[0]));
        p.setApplicationProtocols(applicationProtocols.toArray(new String[0]));
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(clientAuthorities != null);
        return p;
    }

    private TrustManager[] trustManagers() throws IOException, GeneralSecurityException {
        if (clientAuthorities == null) return null;
        KeyStore anchors = emptyKeyStore();
        int i = 0;
        for (X509Certificate ca : PemFiles.certificates(clientAuthorities)) anchors.setCertificateEntry("ca-" + i++, ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        return tmf.getTrustManagers();
    }

    private static void addKeyStore(KeyStore identities, KeyStoreFile k, List<X509Certificate> leaves) throws IOException {
        char[] password = k.password() != null ? k.password() : readPassword(k.passwordFile());
        KeyStore store;
        try (InputStream in = Files.newInputStream(k.file())) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (GeneralSecurityException e) {
            throw new IOException(k.file() + ": not a PKCS#12 keystore: " + e.getMessage(), e);
        } catch (IOException e) {
            // The JDK says "keystore password was incorrect" through an IOException whose cause is UnrecoverableKeyException.
            throw new IOException(k.file() + ": " + e.getMessage(), e);
        }
        int before = leaves.size();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) continue;
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0) continue; // a secret key: not ours
                add(identities, pk, chain, leaves);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(k.file() + ": cannot read its keys: " + e.getMessage(), e);
        }
        if (leaves.size() == before) throw new IOException(k.file() + ": no private key with a certificate chain in it");
    }

    private static void add(KeyStore identities, PrivateKey key, Certificate[] chain, List<X509Certificate> leaves) throws IOException {
        try {
            identities.setKeyEntry("identity-" + leaves.size(), key, MEMORY_PASSWORD, chain);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot keep this key and chain: " + e.getMessage(), e);
        }
        leaves.add((X509Certificate) chain[0]);
    }

    /** A key that does not belong to its certificate fails every handshake: say so at load time instead. */
    private static void checkPair(PrivateKey key, X509Certificate cert, PemPair p) throws IOException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(PROBE);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(PROBE);
            if (verify.verify(signature)) return;
        } catch (GeneralSecurityException e) {
            // an RSA key with an EC certificate, say: a mismatch too
        }
        throw new IOException(p.key() + ": this " + key.getAlgorithm() + " key does not belong to the certificate in " + p.chain());
    }

    private static char[] readPassword(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end >= 0 ? text.substring(0, end) : text;
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        return line.toCharArray();
    }

    private static KeyStore emptyKeyStore() throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("this JDK has no PKCS#12 keystore", e);
        }
    }
}
