package io.jepoll.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Netty on one epoll event loop with {@link HttpContentCompressor}, for {@code bench/run gzip}: GET /64k.json
 * answers the JSON file given as one {@link FullHttpResponse}, which the compressor gzips per request (gzip only,
 * at LEVEL, window 15, memLevel 8: zlib's defaults; bodies under 1 KiB left alone, as jepoll's default does);
 * GET / the greeting. {@code NettyGzipPeer PORT FILE LEVEL}.
 */
public final class NettyGzipPeer {
    private NettyGzipPeer() {}

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        byte[] json = Files.readAllBytes(Path.of(Peers.arg(args, 1, "64k.json")));
        int level = Integer.parseInt(Peers.arg(args, 2, "6"));
        // A heap buffer, so the JDK deflater reads it in place (a direct one is copied to the heap first).
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(json));
        ByteBuf hello = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(Peers.HELLO));
        NettyServer.run("netty-epoll-gzip level " + level, port, false, p -> p.addLast(new HttpServerCodec(),
                new HttpContentCompressor(1024, StandardCompressionOptions.gzip(level, 15, 8)), new Answer(body, hello)));
    }

    /** One full response per request; the output is flushed once per read batch. */
    static final class Answer extends SimpleChannelInboundHandler<HttpObject> {
        private static final AsciiString JSON = AsciiString.cached("application/json");
        private static final AsciiString TEXT_PLAIN = AsciiString.cached(Peers.TEXT_PLAIN);
        private final ByteBuf body;
        private final ByteBuf hello;

        Answer(ByteBuf body, ByteBuf hello) {
            this.body = body;
            this.hello = hello;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest req)) return; // GET only: the empty last content is ignored
            boolean json = req.uri().equals("/64k.json");
            ByteBuf content = (json ? body : hello).duplicate();
            FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, content, false);
            res.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, json ? JSON : TEXT_PLAIN)
                    .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                    .set(HttpHeaderNames.DATE, Peers.date());
            HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
            ctx.write(res, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
