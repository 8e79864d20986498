package io.jepoll.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The keystore alias inside the PKIX key manager's alias; anything else goes back to that manager unchanged. */
class KeptKeysTest {
    @Test
    void theStoreAliasFollowsTheSecondDot() {
        assertThat(KeptKeys.storeAlias("0.17.identity-2")).isEqualTo("identity-2");
        assertThat(KeptKeys.storeAlias("3.123456789.identity-0")).isEqualTo("identity-0");
        assertThat(KeptKeys.storeAlias("identity-1")).isEqualTo("identity-1");
        assertThat(KeptKeys.storeAlias("one.dot")).isEqualTo("one.dot");
        assertThat(KeptKeys.storeAlias(null)).isNull();
    }
}
