package io.jepoll.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The --tls-* flags: what they become, what they refuse, and a file that cannot be read at start. */
class TlsOptionsTest {
    @Test
    void pairsKeepTheirOrderAndAKeyStoreAndClientCaComeAlong() throws Exception {
        Options o = OptionParser.parse("--tls-cert", "a.pem", "--tls-key", "a.key", "--tls-cert=b.pem", "--tls-key=b.key",
                "--tls-keystore", "s.p12", "--tls-password-file", "pw", "--tls-client-ca", "ca.pem");
        assertThat(o.tls()).isEqualTo(new Options.Tls(List.of(Path.of("a.pem"), Path.of("b.pem")), List.of(Path.of("a.key"), Path.of("b.key")),
                Path.of("s.p12"), Path.of("pw"), Path.of("ca.pem")));
        assertThat(OptionParser.parse().tls()).as("plaintext unless asked").isNull();
        assertThat(o.redirectHttp()).as("no plain listener unless asked").isEqualTo(-1);
        assertThat(OptionParser.parse("--tls-keystore", "s.p12", "--tls-password-file", "pw", "--redirect-http=8080").redirectHttp()).isEqualTo(8080);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--tls-cert,a.pem                                   | --tls-cert and --tls-key come in pairs (1 certificate, 0 keys)",
            "--tls-cert,a,--tls-key,b,--tls-key,c               | --tls-cert and --tls-key come in pairs (1 certificate, 2 keys)",
            "--tls-keystore,s.p12                               | --tls-keystore and --tls-password-file go together",
            "--tls-password-file,pw                             | --tls-keystore and --tls-password-file go together",
            "--tls-client-ca,ca.pem                             | --tls-client-ca needs a server certificate: --tls-cert and --tls-key, or --tls-keystore",
            "--tls-keystore,a,--tls-keystore,b                  | --tls-keystore is given twice",
            "--tls-cert=                                        | --tls-cert needs a file",
            "--redirect-http,80                                 | --redirect-http sends clients to https: it needs --tls-cert and --tls-key, or --tls-keystore",
            "--tls-cert,a,--tls-key,b,--redirect-http,70000     | --redirect-http must be between 0 and 65535, not 70000",
            "--tls-cert,a,--tls-key,b,--redirect-http           | --redirect-http needs a value (see --help)",
    })
    void inconsistentFlagsAreOneLine(String args, String message) {
        assertThatThrownBy(() -> OptionParser.parse(args.split(","))).hasMessage(message);
    }

    @Test
    void anUnreadableCertificateIsAOneLineStartFailure() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"--port", "0", "--tls-cert", "/no/such/cert.pem", "--tls-key", "/no/such/key.pem"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("jepoll: cannot start: TLS: ").contains("/no/such/cert.pem").endsWith(System.lineSeparator());
        assertThat(err.toString().strip()).doesNotContain("\n");
    }

    @Test
    void helpListsTheFlags() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[]{"--help"}, new PrintStream(out), System.err)).isZero();
        assertThat(out.toString()).contains("--tls-cert FILE", "--tls-key FILE", "--tls-keystore FILE", "--tls-password-file F",
                "--tls-client-ca FILE", "SIGHUP", "--redirect-http PORT");
    }
}
