package io.jepoll.bench.peers;

import io.jepoll.loop.Trigger;
import io.jepoll.server.Handler;
import io.jepoll.server.HttpServer;
import io.jepoll.server.StaticFiles;
import io.jepoll.server.Transport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * jepoll embedded as a library serving a directory with {@link StaticFiles}, one loop, for the
 * static suite's allocation figure: heap bytes allocated by the loop thread per request.
 * {@code JepollStaticPeer PORT CONTROL_PORT DIR [TRANSPORT [level|edge]]}.
 *
 * <p>The handler is StaticFiles behind a counter (a volatile long written by the loop thread only;
 * no allocation). A control socket on 127.0.0.1:CONTROL_PORT answers each line it reads with one line:
 * {@code requests=N loop_alloc=B total_alloc=B}, where loop_alloc is
 * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} of the thread "jepoll-loop-0" and
 * total_alloc {@code getTotalThreadAllocatedBytes()} of every live thread (this control thread's own
 * few allocations included). bench/run reads it before and after a wrk run and divides the differences.
 */
public final class JepollStaticPeer {
    private JepollStaticPeer() {}

    private static volatile long requests;

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        int control = Integer.parseInt(Peers.arg(args, 1, "0"));
        Path dir = Path.of(Peers.arg(args, 2, "."));
        Transport transport = Transport.valueOf(Peers.arg(args, 3, "epoll").toUpperCase(Locale.ROOT));
        Trigger trigger = Peers.arg(args, 4, "level").equals("edge") ? Trigger.EDGE : Trigger.LEVEL;
        StaticFiles files = StaticFiles.of(dir);
        Handler counted = req -> {
            requests++; // one writer: the loop thread
            return files.handle(req);
        };
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) throw new IllegalStateException("no thread allocation counter in this JVM");
        mx.setThreadAllocatedMemoryEnabled(true);
        try (HttpServer server = HttpServer.builder()
                .host(Peers.HOST).port(port).loops(1)
                .transport(transport).trigger(trigger)
                .handler(counted)
                .start();
             ServerSocket ctl = new ServerSocket(control, 4, InetAddress.getByName(Peers.HOST))) {
            Thread loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jepoll-loop-0")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no thread named jepoll-loop-0"));
            long loopId = loop.threadId();
            Thread.ofPlatform().daemon().name("alloc-control").start(() -> {
                while (true) {
                    try (Socket s = ctl.accept();
                         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                        OutputStream out = s.getOutputStream();
                        while (in.readLine() != null) {
                            String line = "requests=" + requests + " loop_alloc=" + mx.getThreadAllocatedBytes(loopId)
                                    + " total_alloc=" + mx.getTotalThreadAllocatedBytes() + "\n";
                            out.write(line.getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    } catch (Exception e) {
                        if (ctl.isClosed()) return;
                    }
                }
            });
            Peers.ready("jepoll-library StaticFiles " + dir.toAbsolutePath() + " (" + transport.label() + ", "
                    + trigger.name().toLowerCase(Locale.ROOT) + "; control port " + ctl.getLocalPort() + ")", port);
            server.awaitShutdown();
        }
    }

}
