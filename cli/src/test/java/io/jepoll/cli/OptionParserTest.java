package io.jepoll.cli;

import io.jepoll.http.HttpLimits;
import io.jepoll.server.Transport;
import io.jepoll.loop.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionParserTest {

    @Test
    void ioUringIsChosenByNameAndSaysNothingWhereTheKernelAllowsIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Transport.IO_URING.isAvailable(), "io_uring refused here");
        for (String name : new String[] {"io_uring", "io-uring", "uring"}) {
            Options o = OptionParser.parse("--transport", name);
            assertThat(o.transport()).isEqualTo(Transport.IO_URING);
            assertThat(o.transportNote()).isNull();
        }
    }

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
        assertThat(o.healthPath()).as("no health path").isNull();
        assertThat(o.drain()).as("no drain").isZero();
        assertThat(OptionParser.parse("--drain", "0").drain()).isZero();
    }

    @Test
    void everyFlagIsRead() throws Exception {
        Options o = OptionParser.parse("--host", "127.0.0.1", "--port=9000", "--loops", "3", "--trigger", "edge",
                "--transport", "epoll", "--tcp-nodelay", "--tcp-cork", "--echo", "--log-requests", "--virtual-threads",
                "--proxy-protocol", "--health-path", "/healthz", "--drain=2s");
        assertThat(o).isEqualTo(new Options("127.0.0.1", 9000, 3, Trigger.EDGE, Transport.EPOLL, true, true,
                Options.Mode.ECHO, true, true, HttpLimits.defaults(), 0, Options.Timeouts.DEFAULTS, null, false, Options.Action.SERVE, true,
                null, "/healthz", Duration.ofSeconds(2), null, null, null, -1, null));
    }

    @Test
    void metricsTakeAPortAndAHostThatDefaultsToLoopback() throws Exception {
        assertThat(OptionParser.parse().metrics()).isNull();
        assertThat(OptionParser.parse("--metrics-port", "9100").metrics()).isEqualTo(new Options.MetricsPort("127.0.0.1", 9100));
        assertThat(OptionParser.parse("--metrics-port=0", "--metrics-host", "::").metrics()).isEqualTo(new Options.MetricsPort("::", 0));
    }

    @Test
    void accessLogTakesAFileOrStandardOutputAndAFormat() throws Exception {
        assertThat(OptionParser.parse().accessLog()).isNull();
        assertThat(OptionParser.parse("--access-log", "/var/log/jepoll.log").accessLog())
                .isEqualTo(new Options.LogFile("/var/log/jepoll.log", io.jepoll.server.AccessLog.Format.COMBINED));
        Options.LogFile stdout = OptionParser.parse("--access-log=-", "--access-log-format", "json").accessLog();
        assertThat(stdout).isEqualTo(new Options.LogFile("-", io.jepoll.server.AccessLog.Format.JSON));
        assertThat(stdout.toStdout()).isTrue();
        assertThat(OptionParser.parse("--access-log", "a.log", "--access-log-format=common").accessLog().format())
                .isEqualTo(io.jepoll.server.AccessLog.Format.COMMON);
    }

    @Test
    void gzipAndItsSettings() throws Exception {
        assertThat(OptionParser.parse().compression()).isNull();
        assertThat(OptionParser.parse("--gzip").compression()).isEqualTo(io.jepoll.http.Compression.gzip());
        assertThat(OptionParser.parse("--gzip", "--gzip-min-size", "4k", "--gzip-level=1").compression())
                .isEqualTo(io.jepoll.http.Compression.gzip().minSize(4096).level(1));
        assertThat(OptionParser.parse("--gzip", "--gzip-min-size", "0").compression().minSize()).isZero();
    }

    @Test
    void limitsAndTimeoutsTakeSizesAndDurations() throws Exception {
        Options o = OptionParser.parse("--max-request-line", "4k", "--max-header-size=32k", "--max-headers", "50",
                "--max-body-size", "2m", "--max-connections", "500", "--idle-timeout", "5", "--header-timeout=500ms",
                "--body-timeout", "2m", "--write-timeout", "7s", "--shutdown-grace", "0");
        assertThat(o.limits()).isEqualTo(HttpLimits.defaults().withMaxRequestLine(4096).withMaxHeaderSize(32768)
                .withMaxHeaderCount(50).withMaxBodySize(2 << 20));
        assertThat(o.maxConnections()).isEqualTo(500);
        assertThat(o.timeouts()).isEqualTo(new Options.Timeouts(Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofMinutes(2), Duration.ofSeconds(7), Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus                        | unknown option --bogus (see --help)",
            "--port                         | --port needs a value (see --help)",
            "--port,abc                     | --port needs a number, not 'abc'",
            "--port,70000                   | --port must be between 0 and 65535, not 70000",
            "--loops,0                      | --loops must be between 1 and 1024, not 0",
            "--trigger,sideways             | --trigger must be level or edge, not 'sideways'",
            "--transport,kqueue             | --transport must be epoll, io_uring, nio, threads or virtual, not 'kqueue'",
            "--transport,io_uring,--trigger,edge | --trigger edge needs --transport epoll (io_uring reports completions, level-triggered)",
            "--transport,threads,--trigger,edge | --trigger edge needs --transport epoll (java.nio is level-triggered)",
            "--transport,nio,--trigger,edge | --trigger edge needs --transport epoll (java.nio is level-triggered)",
            "--echo=yes                     | --echo takes no value",
            "stray                          | unexpected argument 'stray' (see --help)",
            "--max-body-size,1g             | --max-body-size needs a size like 8192, 16k or 1m, not '1g'",
            "--max-request-line,10          | --max-request-line must be between 64 and 1048576 bytes, not 10",
            "--idle-timeout,0               | --idle-timeout must be above 0 and at most 1 day, not 0",
            "--header-timeout,soon          | --header-timeout needs a duration like 10s, 500ms or 2m, not 'soon'",
            "--access-log-format,json       | --access-log-format needs --access-log",
            "--access-log,x,--access-log-format,xml | --access-log-format must be common, combined or json, not 'xml'",
            "--access-log                   | --access-log needs a value (see --help)",
            "--health-path,healthz          | --health-path needs a path like /healthz (visible ASCII, no query), not 'healthz'",
            "--health-path,/h?x=1           | --health-path needs a path like /healthz (visible ASCII, no query), not '/h?x=1'",
            "--health-path                  | --health-path needs a value (see --help)",
            "--drain,-1s                    | --drain must be between 0 and 1 day, not -1s",
            "--drain,2d                     | --drain needs a duration like 10s, 500ms or 2m, not '2d'",
            "--gzip-level,6                 | --gzip-min-size and --gzip-level need --gzip",
            "--gzip-min-size,1k             | --gzip-min-size and --gzip-level need --gzip",
            "--gzip,--gzip-level,0          | --gzip-level must be between 1 and 9, not 0",
            "--gzip,--gzip-min-size,-1      | --gzip-min-size must be between 0 and 2147483647 bytes, not -1",
            "--gzip=yes                     | --gzip takes no value",
            "--metrics-port,99999           | --metrics-port must be between 0 and 65535, not 99999",
            "--metrics-host,0.0.0.0         | --metrics-host needs --metrics-port",
    })
    void badCommandLinesGiveOneLineAndExitCode2(String args, String message) throws Exception {
        String[] argv = args.split(",");
        assertThatThrownBy(() -> OptionParser.parse(argv)).hasMessage(message);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("jepoll: " + message + System.lineSeparator());
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[]{"--help"}, new PrintStream(out), System.err)).isZero();
        assertThat(out.toString()).contains("--trigger level|edge", "--transport T", "threads", "--echo",
                "--health-path PATH", "--drain D");
        out.reset();
        assertThat(Main.run(new String[]{"--version"}, new PrintStream(out), System.err)).isZero();
        assertThat(out.toString()).startsWith("jepoll " + Main.VERSION);
    }
}
