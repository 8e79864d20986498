package io.jepoll.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM files a server is configured with: a certificate chain (one or more
 * {@code CERTIFICATE} blocks, the server's own first) and an unencrypted PKCS#8 private key
 * ({@code PRIVATE KEY}), RSA or EC. The blocks are found by hand, base64 between the BEGIN
 * and END lines, so text around them (openssl's "subject=" lines, comments) does no harm.
 * Every failure is an {@link IOException} whose message names the file and, for the key
 * formats seen in the wild that this does not read, the command that converts them.
 */
final class PemFiles {
    private PemFiles() {}

    /** A PEM file larger than this is not a certificate or a key: refuse it rather than read it whole. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    /** One BEGIN/END block: its label ("CERTIFICATE", "PRIVATE KEY", ...) and its decoded bytes. */
    record Block(String label, byte[] der) {}

    /** The certificates of {@code file}, in order. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IOException("this JDK cannot read X.509 certificates", e);
        }
        for (Block b : blocks(file)) {
            if (!b.label().equals("CERTIFICATE")) continue;
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new IOException(file + ": certificate " + (chain.size() + 1) + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) throw new IOException(file + ": no -----BEGIN CERTIFICATE----- block");
        return chain;
    }

    /** The one private key of {@code file}. */
    static PrivateKey privateKey(Path file) throws IOException {
        PrivateKey key = null;
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    if (key != null) throw new IOException(file + ": more than one private key");
                    key = pkcs8(file, b.der());
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + ": a " + b.label()
                        + " (PKCS#1 or SEC1) is not read here; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + ": the key is encrypted; decrypt it with: openssl pkcs8 -in "
                        + file + " -out key.pem (and keep that file private), or use a PKCS#12 keystore with a password file");
                default -> { } // parameters, certificates: not the key
            }
        }
        if (key == null) throw new IOException(file + ": no -----BEGIN PRIVATE KEY----- block");
        return key;
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        // The PKCS#8 structure names its algorithm, but reading that name needs a DER parser;
        // trying the two a TLS server uses is simpler, and each refusal is cheap.
        for (String algorithm : new String[]{"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisOne) {
                // try the next
            } catch (GeneralSecurityException e) {
                throw new IOException("this JDK has no " + algorithm + " key factory", e);
            }
        }
        throw new IOException(file + ": the private key is neither RSA nor EC (PKCS#8)");
    }

    /** Every BEGIN/END block of {@code file}. */
    static List<Block> blocks(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) throw new IOException(file + ": " + size + " bytes is too large for a PEM file");
        // ISO-8859-1 decodes any byte: a binary (DER) file is then "no BEGIN block", not a decoding error.
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<Block> out = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) return out;
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) throw new IOException(file + ": a BEGIN line without its closing dashes");
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd + 5);
            if (end < 0) throw new IOException(file + ": no " + endLine + " after its BEGIN line");
            String body = text.substring(labelEnd + 5, end);
            if (body.indexOf(':') >= 0) {
                throw new IOException(file + ": the " + label + " block has headers (Proc-Type: an old encrypted format); use an unencrypted PKCS#8 key");
            }
            try {
                // Strict: line breaks go, anything else outside the alphabet is an error (the MIME decoder would skip it).
                out.add(new Block(label, Base64.getDecoder().decode(WHITESPACE.matcher(body).replaceAll(""))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + label + " block is not valid base64", e);
            }
            at = end + endLine.length();
        }
    }
}
