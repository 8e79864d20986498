package io.jepoll.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects the --tls-* flags as they come and checks that they make one HTTPS setup. */
final class TlsFlags {
    private final List<Path> certificates = new ArrayList<>();
    private final List<Path> keys = new ArrayList<>();
    private Path keyStore, passwordFile, clientCa;

    void add(String flag, String value) throws OptionParser.UsageException {
        if (value.isBlank()) throw new OptionParser.UsageException(flag + " needs a file");
        Path p = Path.of(value);
        switch (flag) {
            case "--tls-cert" -> certificates.add(p);
            case "--tls-key" -> keys.add(p);
            case "--tls-keystore" -> keyStore = once(flag, keyStore, p);
            case "--tls-password-file" -> passwordFile = once(flag, passwordFile, p);
            case "--tls-client-ca" -> clientCa = once(flag, clientCa, p);
            default -> throw new IllegalArgumentException(flag);
        }
    }

    private static Path once(String flag, Path before, Path now) throws OptionParser.UsageException {
        if (before != null) throw new OptionParser.UsageException(flag + " is given twice");
        return now;
    }

    /** The setup, or null when no --tls-* flag was given. */
    Options.Tls options() throws OptionParser.UsageException {
        if (certificates.isEmpty() && keys.isEmpty() && keyStore == null && passwordFile == null && clientCa == null) return null;
        if (certificates.size() != keys.size()) {
            throw new OptionParser.UsageException("--tls-cert and --tls-key come in pairs (" + certificates.size()
                    + " certificate" + (certificates.size() == 1 ? "" : "s") + ", " + keys.size() + " key" + (keys.size() == 1 ? "" : "s") + ")");
        }
        if ((keyStore == null) != (passwordFile == null)) throw new OptionParser.UsageException("--tls-keystore and --tls-password-file go together");
        if (certificates.isEmpty() && keyStore == null) throw new OptionParser.UsageException("--tls-client-ca needs a server certificate: --tls-cert and --tls-key, or --tls-keystore");
        return new Options.Tls(List.copyOf(certificates), List.copyOf(keys), keyStore, passwordFile, clientCa);
    }
}
