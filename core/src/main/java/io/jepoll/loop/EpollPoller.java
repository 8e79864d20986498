package io.jepoll.loop;

import io.jepoll.sys.Epoll;
import io.jepoll.sys.EpollEvents;
import io.jepoll.sys.EventFd;
import io.jepoll.sys.Net;

/**
 * epoll as a {@link Poller}. The fd is the event's user data; a table indexed by fd finds
 * the owner, so dispatch allocates nothing. An eventfd in the interest list wakes the loop.
 */
final class EpollPoller implements Poller {
    private final int epfd;
    private final int wakeFd;
    private final EpollEvents events;
    private IoHandle[] owners = new IoHandle[1024];

    EpollPoller(int maxEvents) {
        epfd = Epoll.create();
        try {
            wakeFd = EventFd.create();
            Epoll.add(epfd, wakeFd, Epoll.EPOLLIN);
            events = new EpollEvents(maxEvents);
        } catch (RuntimeException e) {
            Net.close(epfd);
            throw e;
        }
    }

    private void ownerAt(int fd, IoHandle owner) {
        if (fd >= owners.length) {
            IoHandle[] bigger = new IoHandle[Math.max(fd + 1, owners.length * 2)];
            System.arraycopy(owners, 0, bigger, 0, owners.length);
            owners = bigger;
        }
        owners[fd] = owner;
    }

    @Override
    public void add(Socket s, int interest) {
        int fd = ((EpollSocket) s).fd;
        ownerAt(fd, s.owner);
        Epoll.add(epfd, fd, interest);
        s.registered = interest;
    }

    @Override
    public void modify(Socket s, int interest) {
        Epoll.modify(epfd, ((EpollSocket) s).fd, interest);
        s.registered = interest;
    }

    @Override
    public void remove(Socket s) {
        int fd = ((EpollSocket) s).fd;
        // Closing the fd removes it from epoll anyway; DEL only matters if the fd lives on.
        if (s.registered >= 0) Epoll.remove(epfd, fd);
        if (fd < owners.length) owners[fd] = null;
        s.registered = -1;
    }

    private int ready;

    @Override
    public int poll(int timeoutMillis) {
        int n = Epoll.wait(epfd, events, timeoutMillis);
        ready = Math.max(n, 0); // -EINTR: nothing ready, the loop simply polls again
        return ready;
    }

    @Override
    public void dispatch() {
        int n = ready;
        ready = 0;
        for (int i = 0; i < n; i++) {
            int fd = events.fd(i);
            if (fd == wakeFd) {
                EventFd.drain(wakeFd);
                continue;
            }
            IoHandle owner = fd < owners.length ? owners[fd] : null;
            if (owner != null) owner.ready(events.events(i)); // null: closed earlier in this same batch
        }
    }

    @Override
    public void wakeup() { EventFd.signal(wakeFd); }

    @Override
    public void close() {
        Net.close(wakeFd);
        Net.close(epfd);
        events.close();
    }
}
