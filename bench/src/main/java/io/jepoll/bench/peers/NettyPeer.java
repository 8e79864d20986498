package io.jepoll.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;


/**
 * Netty on one event loop (it accepts and serves). {@code NettyPeer PORT epoll|io_uring|nio codec|raw}:
 * <ul>
 * <li>codec: {@link HttpServerCodec} and a handler that writes a {@link FullHttpResponse} per request
 * and flushes once per read batch (channelReadComplete), the usual high-performance Netty shape;</li>
 * <li>raw: no HTTP codec; {@link RawHttpHandler} finds request heads itself and writes a pre-encoded
 * whole response: a lower bound for what Netty's transport costs.</li>
 * </ul>
 */
public final class NettyPeer {
    private NettyPeer() {}

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        String transport = Peers.arg(args, 1, "epoll");
        boolean raw = Peers.arg(args, 2, "codec").equals("raw");
        NettyServer.run("netty-" + transport + "-" + (raw ? "raw" : "codec"), port, transport, p -> {
            if (raw) p.addLast(new RawHttpHandler());
            else p.addLast(new HttpServerCodec(), new CodecHandler());
        });
    }

    /** Answers each request as it completes; the codec's output is flushed once per read batch. */
    static final class CodecHandler extends ChannelInboundHandlerAdapter {
        private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer(Peers.HELLO.length).writeBytes(Peers.HELLO)).asReadOnly();
        private static final ByteBuf BIG = Unpooled.unreleasableBuffer(Unpooled.directBuffer(Peers.BIG.length).writeBytes(Peers.BIG)).asReadOnly();
        private static final AsciiString TEXT_PLAIN = AsciiString.cached(Peers.TEXT_PLAIN);
        private static final AsciiString OCTETS = AsciiString.cached(Peers.OCTETS);

        private HttpRequest pending;     // a request whose body is still arriving
        private CompositeByteBuf body;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                if (req.method() == HttpMethod.POST) {
                    pending = req;
                    body = ctx.alloc().compositeBuffer(64);
                } else {
                    pending = null;
                    ByteBuf content = req.uri().equals("/16k") ? BIG.duplicate() : HELLO.duplicate();
                    respond(ctx, req, content, TEXT_PLAIN);
                }
            }
            if (msg instanceof HttpContent chunk) {
                if (pending != null) {
                    body.addComponent(true, chunk.content().retain());
                    if (chunk instanceof LastHttpContent) {
                        HttpRequest req = pending;
                        pending = null;
                        ByteBuf content = body;
                        body = null;
                        CharSequence type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
                        respond(ctx, req, content, type != null ? type : OCTETS);
                    }
                }
                chunk.release();
            }
        }

        private static void respond(ChannelHandlerContext ctx, HttpRequest req, ByteBuf content, CharSequence type) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, content, false);
            res.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, type)
                    .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                    .set(HttpHeaderNames.DATE, Peers.date());
            if (!keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            } else {
                if (req.protocolVersion() == HttpVersion.HTTP_1_0) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.write(res, ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (body != null) {
                body.release();
                body = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
