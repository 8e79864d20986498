package io.jepoll.cli;

import io.jepoll.tls.TlsContext;

import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The command's HTTPS: the context its flags describe, and a reload on SIGHUP that reports in one line. */
final class Https {
    private Https() {}

    /** Reads the files the flags name. */
    static TlsContext context(Options.Tls t) throws IOException {
        TlsContext.Builder b = TlsContext.builder();
        for (int i = 0; i < t.certificates().size(); i++) b.certificate(t.certificates().get(i), t.keys().get(i));
        if (t.keyStore() != null) b.keyStore(t.keyStore(), t.passwordFile());
        if (t.clientCa() != null) b.clientAuthorities(t.clientCa());
        return b.build();
    }

    /** SIGHUP: the files are read again for new connections; a broken one keeps what is in use, and says why. */
    static void reloadOnHangup(TlsContext tls, PrintStream out, PrintStream err) {
        Signals.onHangup(() -> {
            try {
                tls.reload();
                out.println("jepoll: TLS reloaded: " + describe(tls));
            } catch (IOException | RuntimeException e) {
                err.println("jepoll: TLS reload failed, still serving the previous certificate: " + e.getMessage());
            }
        });
    }

    /** "CN=localhost (serial 1A2B, until 2027-01-01)" for each certificate. */
    static String describe(TlsContext tls) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : tls.certificates()) {
            if (!b.isEmpty()) b.append("; ");
            b.append(c.getSubjectX500Principal().getName()).append(" (serial ").append(c.getSerialNumber().toString(16))
                    .append(", until ").append(DateTimeFormatter.ISO_LOCAL_DATE.format(c.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))).append(')');
        }
        return b.toString();
    }
}
