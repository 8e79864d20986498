package io.jepoll.cli;

import io.jepoll.loop.Transport;
import io.jepoll.loop.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionParserTest {

    @Test
    void noArgumentsServeHelloOn8080WithLevelTriggeredEpoll() throws Exception {
        Options o = OptionParser.parse();
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.trigger()).isEqualTo(Trigger.LEVEL);
        assertThat(o.transport()).isEqualTo(Transport.EPOLL);
        assertThat(o.mode()).isEqualTo(Options.Mode.HELLO);
        assertThat(o.action()).isEqualTo(Options.Action.SERVE);
        assertThat(o.loops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyFlagIsRead() throws Exception {
        Options o = OptionParser.parse("--host", "127.0.0.1", "--port=9000", "--loops", "3", "--trigger", "edge",
                "--transport", "epoll", "--tcp-nodelay", "--tcp-cork", "--echo", "--log-requests", "--virtual-threads");
        assertThat(o).isEqualTo(new Options("127.0.0.1", 9000, 3, Trigger.EDGE, Transport.EPOLL, true, true,
                Options.Mode.ECHO, true, true, Options.Action.SERVE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus                        | unknown option --bogus (see --help)",
            "--port                         | --port needs a value (see --help)",
            "--port,abc                     | --port needs a number, not 'abc'",
            "--port,70000                   | --port must be between 0 and 65535, not 70000",
            "--loops,0                      | --loops must be between 1 and 1024, not 0",
            "--trigger,sideways             | --trigger must be level or edge, not 'sideways'",
            "--transport,kqueue             | --transport must be epoll or nio, not 'kqueue'",
            "--transport,nio,--trigger,edge | --trigger edge needs --transport epoll (java.nio is level-triggered)",
            "--echo=yes                     | --echo takes no value",
            "stray                          | unexpected argument 'stray' (see --help)",
    })
    void badCommandLinesGiveOneLineAndExitCode2(String args, String message) {
        String[] argv = args.split(",");
        assertThatThrownBy(() -> OptionParser.parse(argv)).hasMessage(message);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("jepoll: " + message + System.lineSeparator());
    }

    @Test
    void helpAndVersionExitZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[]{"--help"}, new PrintStream(out), System.err)).isZero();
        assertThat(out.toString()).contains("--trigger level|edge", "--transport epoll|nio", "--echo");
        out.reset();
        assertThat(Main.run(new String[]{"--version"}, new PrintStream(out), System.err)).isZero();
        assertThat(out.toString()).startsWith("jepoll " + Main.VERSION);
    }
}
