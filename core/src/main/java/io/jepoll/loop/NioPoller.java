package io.jepoll.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * A java.nio Selector as a {@link Poller}: always level-triggered. It translates between
 * epoll's bits (our vocabulary) and SelectionKey operations; EOF and errors show up as
 * read or write results instead of EPOLLRDHUP/EPOLLHUP/EPOLLERR.
 */
final class NioPoller implements Poller {
    private final Selector selector;

    NioPoller() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
    }

    private static int ops(NioSocket s, int interest) {
        int ops = 0;
        if ((interest & Interest.READ) != 0) {
            ops |= s.channel.validOps() == SelectionKey.OP_ACCEPT ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((interest & Interest.WRITE) != 0) ops |= SelectionKey.OP_WRITE;
        return ops;
    }

    @Override
    public void add(Socket s, int interest) {
        NioSocket n = (NioSocket) s;
        try {
            n.channel.register(selector, ops(n, interest), s.owner);
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException(e);
        }
        s.registered = interest;
    }

    @Override
    public void modify(Socket s, int interest) {
        NioSocket n = (NioSocket) s;
        SelectionKey key = n.channel.keyFor(selector);
        if (key != null && key.isValid()) key.interestOps(ops(n, interest));
        s.registered = interest;
    }

    @Override
    public void remove(Socket s) {
        SelectionKey key = ((NioSocket) s).channel.keyFor(selector);
        if (key != null) key.cancel();
        s.registered = -1;
    }

    @Override
    public int poll(int timeoutMillis) {
        try {
            return timeoutMillis == 0 ? selector.selectNow() : selector.select(timeoutMillis < 0 ? 0 : timeoutMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("select failed", e);
        }
    }

    @Override
    public void dispatch() {
        var keys = selector.selectedKeys();
        for (SelectionKey key : keys) {
            if (!key.isValid()) continue;
            int ready = key.readyOps();
            int events = 0;
            if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) events |= Interest.READ;
            if ((ready & SelectionKey.OP_WRITE) != 0) events |= Interest.WRITE;
            ((IoHandle) key.attachment()).ready(events);
        }
        keys.clear();
    }

    @Override
    public void wakeup() { selector.wakeup(); }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
