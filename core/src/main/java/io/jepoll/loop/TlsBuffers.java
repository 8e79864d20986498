package io.jepoll.loop;

import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;

/**
 * The buffers every TLS connection of one loop encrypts and decrypts through. A loop runs one
 * connection at a time, so one set serves them all: a connection keeps bytes of its own only
 * while it must (a record cut in two by TCP, records the kernel did not take), and an idle
 * TLS connection holds none, whatever its engine holds.
 */
final class TlsBuffers {
    /** Records per write: a 64 KiB response leaves in one send, as in plaintext. */
    static final int RECORDS_PER_WRITE = 4;
    /** The largest plaintext of one record (RFC 8446 5.1). */
    static final int MAX_FRAGMENT = 16 * 1024;

    /** The largest record on the wire, header and tag included. */
    final int packetSize;
    /** Ciphertext read from the kernel, with room for a saved partial record in front. */
    final ByteBuffer netIn;
    /** Records made by wrap, on their way to the kernel. */
    final ByteBuffer netOut;
    /** One record's plaintext, when the caller's array is smaller than a record. */
    final ByteBuffer plain;
    /** File bytes on their way into records; direct, since pread(2) writes native memory. */
    final ByteBuffer file;

    TlsBuffers(int readBufferSize, SSLSession session) {
        packetSize = session.getPacketBufferSize();
        netIn = ByteBuffer.allocate(Math.max(readBufferSize, packetSize) + packetSize);
        netOut = ByteBuffer.allocate(RECORDS_PER_WRITE * packetSize);
        plain = ByteBuffer.allocate(session.getApplicationBufferSize());
        file = ByteBuffer.allocateDirect(RECORDS_PER_WRITE * MAX_FRAGMENT);
    }
}
