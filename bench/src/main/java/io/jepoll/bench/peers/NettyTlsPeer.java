package io.jepoll.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Netty over HTTPS with its {@code SslHandler} on the JDK's TLS (SslProvider.JDK, the provider jepoll uses), one
 * epoll event loop, for the TLS suite, offering the JDK's default cipher suites in the JDK's order (as jepoll). {@code NettyTlsPeer PORT CERT.pem KEY.pem DIR}: GET / is the greeting
 * (a {@link FullHttpResponse}, flushed once per read batch, as {@link NettyPeer}); any other path is a file under DIR,
 * opened per request and written as {@link HttpChunkedInput} over {@link ChunkedFile} in 16 KiB pieces (one TLS
 * record each) through {@link ChunkedWriteHandler}: Netty's way to send a file when TLS rules out sendfile.
 */
public final class NettyTlsPeer {
    private NettyTlsPeer() {}

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        SslContext ssl = SslContextBuilder.forServer(new File(Peers.arg(args, 1, "cert.pem")), new File(Peers.arg(args, 2, "key.pem")))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2")
                // The JDK's default suites in the JDK's order, as jepoll offers them: Netty's own list puts AES-128
                // first, which would compare ciphers rather than servers (the client, OpenSSL, offers AES-256 first).
                .ciphers(java.util.List.of(javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()))
                .build();
        File dir = new File(Peers.arg(args, 3, "."));
        NettyServer.run("netty-epoll-tls-jdk", port, false, p -> p.addLast(ssl.newHandler(p.channel().alloc()),
                new HttpServerCodec(), new ChunkedWriteHandler(), new Handler(dir)));
    }

    static final class Handler extends ChannelInboundHandlerAdapter {
        private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer(Peers.HELLO.length).writeBytes(Peers.HELLO)).asReadOnly();
        private static final AsciiString TEXT_PLAIN = AsciiString.cached(Peers.TEXT_PLAIN);
        private static final AsciiString OCTETS = AsciiString.cached(Peers.OCTETS);
        private final File dir;

        Handler(File dir) { this.dir = dir; }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) answer(ctx, req);
            } finally {
                if (msg instanceof HttpContent c) c.release();
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (req.uri().equals("/")) {
                FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, HELLO.duplicate(), false);
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN).set(HttpHeaderNames.CONTENT_LENGTH, Peers.HELLO.length)
                        .set(HttpHeaderNames.DATE, Peers.date());
                send(ctx, res, null, keepAlive);
                return;
            }
            File f = new File(dir, req.uri().substring(1));
            RandomAccessFile raf;
            long length;
            try {
                raf = new RandomAccessFile(f, "r");
                length = raf.length();
            } catch (IOException e) {
                FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER, false);
                res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.DATE, Peers.date());
                send(ctx, res, null, keepAlive);
                return;
            }
            HttpResponse head = new DefaultHttpResponse(req.protocolVersion(), HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, OCTETS).set(HttpHeaderNames.CONTENT_LENGTH, length)
                    .set(HttpHeaderNames.DATE, Peers.date());
            try {
                send(ctx, head, new HttpChunkedInput(new ChunkedFile(raf, 0, length, 16 * 1024)), keepAlive);
            } catch (IOException e) {
                ctx.close();
            }
        }

        private static void send(ChannelHandlerContext ctx, HttpResponse head, HttpChunkedInput body, boolean keepAlive) {
            if (!keepAlive) head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (body == null) {
                if (keepAlive) ctx.write(head, ctx.voidPromise());
                else ctx.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.write(head, ctx.voidPromise());
            if (keepAlive) ctx.write(body, ctx.voidPromise());
            else ctx.writeAndFlush(body).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }
}
