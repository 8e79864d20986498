package io.jepoll.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How LISTEN_PID and LISTEN_FDS are read (sd_listen_fds(3)): for this process only, strictly, within bounds. */
class SocketActivationTest {
    private static final long SELF = 4242;

    @Test
    void theDescriptorsPassedToThisProcess() {
        assertThat(SocketActivation.parse("4242", "1", SELF)).containsExactly(3);
        assertThat(SocketActivation.parse("4242", "3", SELF)).containsExactly(3, 4, 5);
        assertThat(SocketActivation.parse("4242", String.valueOf(SocketActivation.MAX_FDS), SELF))
                .hasSize(SocketActivation.MAX_FDS).endsWith(3 + SocketActivation.MAX_FDS - 1);
    }

    @Test
    void noneWhenUnsetZeroOrMeantForAnotherProcess() {
        assertThat(SocketActivation.parse(null, null, SELF)).isEmpty();
        assertThat(SocketActivation.parse("4242", null, SELF)).isEmpty();
        assertThat(SocketActivation.parse(null, "1", SELF)).isEmpty();
        assertThat(SocketActivation.parse("4242", "0", SELF)).isEmpty();
        assertThat(SocketActivation.parse("4241", "1", SELF)).as("a parent's variables, inherited").isEqualTo(List.of());
        assertThat(SocketActivation.parse("1", "x", SELF)).as("another process's: not read further").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x      | 1    | LISTEN_PID is not a number",
            "-4242  | 1    | LISTEN_PID is not a number",
            "+4242  | 1    | LISTEN_PID is not a number",
            "''     | 1    | LISTEN_PID is not a number",
            "99999999999999999999 | 1 | LISTEN_PID is not a number",
            "4242   | two  | LISTEN_FDS is not a number",
            "4242   | -1   | LISTEN_FDS is not a number",
            "4242   | 65   | LISTEN_FDS is above 64",
            "4242   | 9223372036854775807 | LISTEN_FDS is above 64",
            "4242   | 9999999999999999999 | LISTEN_FDS is out of range",
    })
    void malformedValuesForThisProcessAreAnError(String pid, String fds, String message) {
        assertThatThrownBy(() -> SocketActivation.parse(pid, fds, SELF))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
