package io.jepoll.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PEM files as servers get them: chains with text around, PKCS#8 keys, and the formats refused with a way out. */
class PemFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aChainIsEveryCertificateInOrderWhateverTextSurroundsThem() throws Exception {
        TestCertificates.Identity a = TestCertificates.localhost(), b = TestCertificates.client();
        Path chain = write("chain.pem", "# the server first\n" + Files.readString(a.certificatePem())
                + "issuer=whatever openssl prints\n" + Files.readString(b.certificatePem()).replace("\n", "\r\n"));
        List<X509Certificate> certs = PemFiles.certificates(chain);
        assertThat(certs).containsExactly(a.certificate(), b.certificate());
    }

    @Test
    void pkcs8KeysOfBothKindsAreRead() throws Exception {
        assertThat(PemFiles.privateKey(TestCertificates.localhost().keyPem()).getAlgorithm()).isEqualTo("EC");
        assertThat(PemFiles.privateKey(TestCertificates.client().keyPem()).getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void otherKeyFormatsAreRefusedWithTheCommandThatConvertsThem() throws Exception {
        Path pkcs1 = write("rsa.pem", TestCertificates.pem("RSA PRIVATE KEY", new byte[]{1, 2, 3}));
        assertThatThrownBy(() -> PemFiles.privateKey(pkcs1)).isInstanceOf(IOException.class)
                .hasMessageContaining("rsa.pem").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        Path sec1 = write("ec.pem", TestCertificates.pem("EC PRIVATE KEY", new byte[]{1, 2, 3}));
        assertThatThrownBy(() -> PemFiles.privateKey(sec1)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        Path encrypted = write("enc.pem", TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[]{1, 2, 3}));
        assertThatThrownBy(() -> PemFiles.privateKey(encrypted)).hasMessageContaining("encrypted");
        Path legacy = write("legacy.pem", "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey(legacy)).hasMessageContaining("headers");
    }

    @Test
    void aKeyThatIsNeitherRsaNorEcIsNamedAsSuch() throws Exception {
        PrivateKey ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        Path key = write("ed.pem", TestCertificates.pem("PRIVATE KEY", ed.getEncoded()));
        assertThatThrownBy(() -> PemFiles.privateKey(key)).hasMessageContaining("neither RSA nor EC");
    }

    @Test
    void brokenFilesSayWhatIsWrongAndWhere() throws Exception {
        Path empty = write("empty.pem", "");
        assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessageContaining("empty.pem").hasMessageContaining("no -----BEGIN CERTIFICATE-----");
        assertThatThrownBy(() -> PemFiles.privateKey(empty)).hasMessageContaining("no -----BEGIN PRIVATE KEY-----");
        Path der = Files.write(dir.resolve("cert.der"), TestCertificates.localhost().certificate().getEncoded());
        assertThatThrownBy(() -> PemFiles.certificates(der)).hasMessageContaining("no -----BEGIN CERTIFICATE-----");
        Path cut = write("cut.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n");
        assertThatThrownBy(() -> PemFiles.certificates(cut)).hasMessageContaining("no -----END CERTIFICATE-----");
        Path garbage = write("garbage.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.certificates(garbage)).hasMessageContaining("not valid base64");
        Path notCert = write("notcert.pem", TestCertificates.pem("CERTIFICATE", new byte[]{48, 3, 2, 1, 0}));
        assertThatThrownBy(() -> PemFiles.certificates(notCert)).hasMessageContaining("certificate 1 is not a valid X.509 certificate");
        Path twoKeys = write("two.pem", Files.readString(TestCertificates.localhost().keyPem()).repeat(2));
        assertThatThrownBy(() -> PemFiles.privateKey(twoKeys)).hasMessageContaining("more than one private key");
    }

    @Test
    void aFileLargerThanAnyPemIsNotReadWhole() throws Exception {
        Path huge = Files.write(dir.resolve("huge.pem"), new byte[(int) PemFiles.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> PemFiles.certificates(huge)).hasMessageContaining("too large");
    }
}
