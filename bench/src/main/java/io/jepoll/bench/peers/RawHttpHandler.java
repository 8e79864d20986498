package io.jepoll.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Netty without its HTTP codec: finds each request head in the cumulated input, reads just the
 * method, path, Content-Length and Connection it needs, and writes a response that was encoded
 * whole in advance (re-encoded once a second for the Date). No header objects, no encoder. Only
 * for the benchmark's well-formed requests: it is not an HTTP parser.
 */
final class RawHttpHandler extends ByteToMessageDecoder {
    private static final int MAX_HEAD = 16 * 1024;

    /**
     * The pre-encoded responses of one second, in direct buffers. Each write takes a retained
     * duplicate, so a response still queued when the second turns keeps its buffer alive; the cache
     * drops its own reference when it re-encodes. Used from the one event loop thread only.
     */
    private record Canned(long second, ByteBuf hello, ByteBuf helloClose, ByteBuf big, ByteBuf bigClose) {
        void release() {
            if (hello != null) {
                hello.release();
                helloClose.release();
                big.release();
                bigClose.release();
            }
        }
    }

    private static Canned canned = new Canned(-1, null, null, null, null);

    private static Canned canned() {
        long now = System.currentTimeMillis() / 1000;
        Canned c = canned;
        if (c.second != now) {
            c.release();
            c = new Canned(now, encode(Peers.TEXT_PLAIN, Peers.HELLO, false), encode(Peers.TEXT_PLAIN, Peers.HELLO, true),
                    encode(Peers.TEXT_PLAIN, Peers.BIG, false), encode(Peers.TEXT_PLAIN, Peers.BIG, true));
            canned = c;
        }
        return c;
    }

    private static ByteBuf encode(String type, byte[] body, boolean close) {
        byte[] head = head(type, body.length, close);
        return Unpooled.directBuffer(head.length + body.length).writeBytes(head).writeBytes(body);
    }

    private static byte[] head(String type, int length, boolean close) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + length + "\r\nDate: " + Peers.date()
                + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private boolean closing;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!closing && in.isReadable()) {
            int start = in.readerIndex();
            int end = headEnd(in, start, in.writerIndex());
            if (end < 0) {
                if (in.readableBytes() > MAX_HEAD) ctx.close();
                return;
            }
            boolean post = in.getByte(start) == 'P';
            int pathStart = in.indexOf(start, end, (byte) ' ') + 1;
            boolean big = !post && in.getByte(pathStart + 1) == '1'; // "/16k"
            long length = 0;
            boolean close = false;
            int line = in.indexOf(start, end, (byte) '\n') + 1;
            while (line < end - 2) {
                int eol = in.indexOf(line, end, (byte) '\n');
                if (startsWithIgnoreCase(in, line, "content-length:")) length = number(in, line + 15, eol);
                else if (startsWithIgnoreCase(in, line, "connection:")) close = contains(in, line + 11, eol, "close");
                line = eol + 1;
            }
            if (in.writerIndex() - end < length) return; // the body is not all here yet
            in.readerIndex(end);
            if (close) closing = true;
            Object response;
            if (post) {
                ByteBuf body = in.readRetainedSlice((int) length);
                response = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(head(Peers.OCTETS, (int) length, close)), body);
            } else {
                Canned c = canned();
                response = (big ? (close ? c.bigClose : c.big) : (close ? c.helloClose : c.hello)).retainedDuplicate();
            }
            if (close) ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            else ctx.write(response, ctx.voidPromise());
        }
        if (closing) in.skipBytes(in.readableBytes());
    }

    /** Index just past the CRLFCRLF that ends the head starting at {@code from}, or -1. */
    private static int headEnd(ByteBuf in, int from, int to) {
        for (int i = from + 3; i < to; i++) {
            if (in.getByte(i) == '\n' && in.getByte(i - 1) == '\r' && in.getByte(i - 2) == '\n' && in.getByte(i - 3) == '\r') return i + 1;
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(ByteBuf in, int at, String prefix) {
        if (at + prefix.length() > in.writerIndex()) return false;
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) in.getByte(at + i)) != prefix.charAt(i)) return false;
        }
        return true;
    }

    private static long number(ByteBuf in, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            byte b = in.getByte(i);
            if (b >= '0' && b <= '9') n = n * 10 + (b - '0');
        }
        return n;
    }

    private static boolean contains(ByteBuf in, int from, int to, String word) {
        String s = in.toString(from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return s.contains(word);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
