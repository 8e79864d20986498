package io.jepoll.loop;

/**
 * What a poller delivers readiness to: the loop's only two kinds of registered sockets.
 * It plays the part of redis's file-event handler or Netty's {@code IoHandle}: the poller
 * finds the handle by descriptor and calls {@link #ready}, with no type test and no
 * {@code Object} in between. A handle is also a timer-wheel node, so each can hold one
 * deadline without another object.
 */
abstract sealed class IoHandle extends TimerWheel.Node permits Connection, Listener {

    /** Handles one readiness report ({@link Interest} bits). */
    abstract void onReady(int events);

    /** An exception escaped {@link #onReady} or a timer: contain it to this handle. */
    abstract void failed(Throwable t);

    /** Called by the pollers: a failing handle never takes the loop down with it. */
    final void ready(int events) {
        try {
            onReady(events);
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }
}
