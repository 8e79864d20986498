package io.jepoll.server;

import io.jepoll.http.Response;
import io.jepoll.loop.LoopConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The event loops watching themselves: a handler that blocks the loop thread is reported. */
@ParameterizedClass
@EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING"})
class LoopGuardsTest {
    @Parameter
    Mode mode;

    HttpServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    @Test
    void aHandlerBlockingTheLoopIsReportedWithTheLoopsStack() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        StringBuilder message = new StringBuilder();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("blocked for")) {
                    synchronized (message) { message.append(r.getMessage()); }
                    reported.countDown();
                }
            }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Logger log = Logger.getLogger("io.jepoll");
        log.addHandler(capture);
        try {
            server = mode.builder().loops(1).loopConfig(LoopConfig.builder().backend(mode.transport.backend())
                            .trigger(mode.trigger).stallWarnMillis(100).build())
                    .handler(req -> {
                        // Blocks the loop thread until the watchdog has noticed (bounded, in case it never does).
                        boolean seen = reported.await(10, TimeUnit.SECONDS);
                        return Response.ok(seen ? "reported" : "not reported");
                    }).start();
            try (RawClient c = new RawClient(server)) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("reported");
            }
            synchronized (message) {
                assertThat(message.toString()).contains("jepoll-loop-0", "LoopGuardsTest");
            }
        } finally {
            log.removeHandler(capture);
        }
    }
}
