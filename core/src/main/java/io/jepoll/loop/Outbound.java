package io.jepoll.loop;

/**
 * One entry of a connection's outgoing queue: something that must leave, in order, after
 * the entries before it. Each kind knows how to hand itself to a {@link Socket} and how
 * much of it is left, so backpressure, corking and the write timeout treat all of them
 * alike.
 */
sealed interface Outbound permits Outbound.Copied, Outbound.Shared, Outbound.FilePart {

    /** Hands as much as the kernel takes; returns bytes sent (0: full), {@link Socket#GONE} or {@link Socket#FILE_FAILED}. */
    long sendTo(Socket s);

    /** Bytes still to send. */
    long remaining();

    /** Frees what the entry holds (a file); called once, when it is sent or dropped. */
    default void release() {}

    /** Bytes the queue owns: small writes copied here because the kernel was behind. */
    final class Copied implements Outbound {
        final ByteBuf buf;

        Copied(int capacity) { buf = new ByteBuf(capacity); }

        @Override
        public long sendTo(Socket s) {
            int n = s.write(buf.array(), buf.start(), buf.readable());
            if (n > 0) buf.consume(n);
            return n;
        }

        @Override
        public long remaining() { return buf.readable(); }
    }

    /** Bytes of an array the writer promised not to change (a response body): sent from where they are. */
    final class Shared implements Outbound {
        private final byte[] array;
        private int pos;
        private final int end;

        Shared(byte[] array, int off, int len) {
            this.array = array;
            this.pos = off;
            this.end = off + len;
        }

        @Override
        public long sendTo(Socket s) {
            int n = s.write(array, pos, end - pos);
            if (n > 0) pos += n;
            return n;
        }

        @Override
        public long remaining() { return end - pos; }
    }

    /** A region of an open file, sent by the kernel (sendfile) without entering Java. */
    final class FilePart implements Outbound {
        private final OpenFile file;
        private final boolean closeWhenDone;
        private long pos;
        private final long end;

        FilePart(OpenFile file, long offset, long count, boolean closeWhenDone) {
            this.file = file;
            this.pos = offset;
            this.end = offset + count;
            this.closeWhenDone = closeWhenDone;
        }

        @Override
        public long sendTo(Socket s) {
            long n = s.transfer(file, pos, end - pos);
            if (n > 0) pos += n;
            return n;
        }

        @Override
        public long remaining() { return end - pos; }

        @Override
        public void release() { if (closeWhenDone) file.close(); }
    }
}
