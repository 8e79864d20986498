package io.jepoll.bench.jmh;

import io.jepoll.bench.peers.Peers;
import io.jepoll.http.HttpException;
import io.jepoll.http.HttpLimits;
import io.jepoll.http.Request;
import io.jepoll.http.RequestParser;
import io.jepoll.http.Response;
import io.jepoll.http.ResponseEncoder;
import io.jepoll.http.OutputBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The per-request work of the plaintext benchmark without sockets: parse the request wrk sends,
 * encode the 13-byte answer. {@code wrk} is exactly what wrk 4.1 sends (request line and Host, no
 * other field); {@code browser} adds the User-Agent and Accept lines that curl-like clients send.
 * Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {

    @Param({"wrk", "browser"})
    public String request;

    private byte[] bytes;

    // jepoll: one parser and one output buffer, reused as a connection and its loop reuse them
    private RequestParser parser;
    private OutputBuffer out;
    private static final Response HELLO = Response.bytes(200, Peers.TEXT_PLAIN, Peers.HELLO);

    // Netty: the decoder and encoder that HttpServerCodec combines, in an EmbeddedChannel
    private EmbeddedChannel netty;
    private ByteBuf nettyIn;
    private static final ByteBuf NETTY_HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(Peers.HELLO));
    private static final AsciiString TEXT_PLAIN = AsciiString.cached(Peers.TEXT_PLAIN);

    /**
     * The server passes its loop's clock (the wall clock read once a second, advanced with the
     * monotonic clock): the encoder itself reads no clock. A fixed value stands for it here.
     */
    long epochMillis = System.currentTimeMillis();

    @Setup(Level.Trial)
    public void setUp() {
        String head = request.equals("wrk")
                ? "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
                : "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk/4.1.0\r\nAccept: */*\r\n\r\n";
        bytes = head.getBytes(StandardCharsets.US_ASCII);
        parser = new RequestParser(HttpLimits.defaults());
        out = new OutputBuffer(64 * 1024);
        netty = new EmbeddedChannel(new HttpRequestDecoder(), new HttpResponseEncoder());
        nettyIn = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        netty.finishAndReleaseAll();
    }

    /** Parse one request, then encode the answer the server would send (the server's per-request codec work). */
    @Benchmark
    public int jepollParseEncode() throws HttpException {
        Request r = parse();
        out.clear();
        ResponseEncoder.encode(HELLO, r.isMethod("HEAD"), r.versionMinor() == 0, r.keepAlive(), epochMillis, out);
        return out.readable();
    }

    /** Parsing alone, including the keep-alive decision. */
    @Benchmark
    public boolean jepollParse() throws HttpException {
        return parse().keepAlive();
    }

    /** Encoding alone: head (encoded once per Response), Date, body. */
    @Benchmark
    public int jepollEncode() {
        out.clear();
        ResponseEncoder.encode(HELLO, false, false, true, epochMillis, out);
        return out.readable();
    }

    private Request parse() throws HttpException {
        parser.reset();
        int used = parser.feed(bytes, 0, bytes.length);
        if (used != bytes.length || parser.event() != RequestParser.Event.REQUEST_COMPLETE) {
            throw new IllegalStateException("not one complete request: " + parser.event());
        }
        return parser.request();
    }

    /**
     * Netty's equivalent: HttpRequestDecoder turns the bytes into an HttpRequest and a
     * LastHttpContent, HttpResponseEncoder turns a FullHttpResponse into bytes. Includes
     * EmbeddedChannel's own pipeline costs, which a real channel has too in another form.
     */
    @Benchmark
    public int nettyParseEncode() {
        netty.writeInbound(nettyIn.duplicate());
        HttpRequest req = netty.readInbound();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        Object o;
        while ((o = netty.readInbound()) != null) ReferenceCountUtil.release(o); // LastHttpContent.EMPTY_LAST_CONTENT
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, NETTY_HELLO.duplicate(), false);
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, Peers.HELLO.length)
                .set(HttpHeaderNames.DATE, Peers.date());
        if (!keepAlive) throw new IllegalStateException("expected keep-alive");
        netty.writeOutbound(res);
        int n = 0;
        ByteBuf b;
        while ((b = netty.readOutbound()) != null) {
            n += b.readableBytes();
            b.release();
        }
        return n;
    }
}
