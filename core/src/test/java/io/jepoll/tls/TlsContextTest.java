package io.jepoll.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a context is built of, what every engine gets, and reloading, including reloading a broken file. */
class TlsContextTest {
    @TempDir
    Path dir;

    @Test
    void everyEngineIsAServerOfTls13And12OfferingHttp11() throws Exception {
        TlsContext tls = TestCertificates.serverContext();
        SSLEngine e = tls.newEngine();
        assertThat(e.getUseClientMode()).isFalse();
        assertThat(e.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(e.getSSLParameters().getApplicationProtocols()).containsExactly("http/1.1");
        assertThat(e.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
        assertThat(e.getNeedClientAuth()).isFalse();
        assertThat(tls.parameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.certificates()).containsExactly(TestCertificates.localhost().certificate());
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tls.isReloadable()).isTrue();
    }

    @Test
    void aKeyStoreGivesEveryKeyEntryItHolds() throws Exception {
        TestCertificates.Identity id = TestCertificates.localhost();
        TlsContext fromFile = TlsContext.builder().keyStore(id.keyStore(), id.passwordFile()).build();
        assertThat(fromFile.certificates()).containsExactly(id.certificate());
        TlsContext both = TlsContext.builder().keyStore(id.keyStore(), TestCertificates.PASSWORD.toCharArray())
                .certificate(TestCertificates.client().certificatePem(), TestCertificates.client().keyPem()).build();
        assertThat(both.certificates()).containsExactlyInAnyOrder(id.certificate(), TestCertificates.client().certificate());
    }

    @Test
    void aWrongPasswordOrAMismatchedKeyIsRefusedByName() throws Exception {
        TestCertificates.Identity id = TestCertificates.localhost();
        assertThatThrownBy(() -> TlsContext.builder().keyStore(id.keyStore(), "wrong".toCharArray()).build())
                .isInstanceOf(IOException.class).hasMessageContaining(id.keyStore().toString());
        assertThatThrownBy(() -> TlsContext.pem(id.certificatePem(), TestCertificates.client().keyPem()))
                .isInstanceOf(IOException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void clientAuthoritiesMakeEveryEngineAskForACertificate() throws Exception {
        TlsContext tls = TlsContext.builder().certificate(TestCertificates.localhost().certificatePem(), TestCertificates.localhost().keyPem())
                .clientAuthorities(TestCertificates.client().certificatePem()).build();
        assertThat(tls.newEngine().getNeedClientAuth()).isTrue();
    }

    @Test
    void reloadSwapsTheCertificateAndABrokenFileKeepsTheOldOne() throws Exception {
        TestCertificates.Identity first = TestCertificates.localhost(), second = TestCertificates.create("EC", "localhost", null);
        TlsContext tls = TestCertificates.installed(first, dir);
        Path key = dir.resolve("key.pem");
        SSLContext before = tls.sslContext();
        assertThat(tls.certificates().getFirst().getSerialNumber()).isEqualTo(first.serial());

        TestCertificates.install(second, dir);
        tls.reload();
        assertThat(tls.certificates().getFirst().getSerialNumber()).isEqualTo(second.serial());
        assertThat(tls.sslContext()).isNotSameAs(before);

        Files.writeString(key, "not a key\n"); // say, caught half-written by an editor
        assertThatThrownBy(tls::reload).isInstanceOf(IOException.class).hasMessageContaining("key.pem");
        assertThat(tls.certificates().getFirst().getSerialNumber()).as("still the certificate of the last good load").isEqualTo(second.serial());
        assertThat(tls.newEngine()).isNotNull();
    }

    @Test
    void aReadyContextIsUsedAsGivenAndCannotReload() throws Exception {
        SSLContext ready = TestCertificates.serverContext().sslContext();
        TlsContext tls = TlsContext.builder().sslContext(ready).applicationProtocols("h2", "http/1.1").build();
        assertThat(tls.sslContext()).isSameAs(ready);
        assertThat(tls.isReloadable()).isFalse();
        assertThat(tls.newEngine().getSSLParameters().getApplicationProtocols()).containsExactly("h2", "http/1.1");
        assertThatThrownBy(tls::reload).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBuilderNeedsExactlyOneKindOfCertificateSource() {
        assertThatThrownBy(() -> TlsContext.builder().build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> TlsContext.builder().sslContext(TestCertificates.serverContext().sslContext())
                .certificate(TestCertificates.localhost().certificatePem(), TestCertificates.localhost().keyPem()).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TlsContext.builder().handshakeTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsContext.builder().applicationProtocols()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void renegotiationIsRefusedByTheJdkToo() {
        TestCertificates.serverContext(); // TlsContext is initialised
        assertThat(System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation")).isEqualTo("true");
    }
}
