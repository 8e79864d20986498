/**
 * jepoll: an HTTP/1.1 server and network library on Linux epoll, through the Foreign
 * Function &amp; Memory API.
 *
 * <p>Exported, from the top down:
 * <ul>
 *   <li>{@link io.jepoll.server}: {@link io.jepoll.server.HttpServer} and its builder,
 *       {@link io.jepoll.server.Handler}, {@link io.jepoll.server.Router},
 *       {@link io.jepoll.server.StaticFiles};</li>
 *   <li>{@link io.jepoll.http}: the RFC 9112 codec over {@code byte[]}, requests and
 *       responses;</li>
 *   <li>{@link io.jepoll.loop}: the event loops for other protocols
 *       ({@link io.jepoll.loop.EventLoopGroup}, {@link io.jepoll.loop.Protocol},
 *       {@link io.jepoll.loop.ConnectionHandler}, {@link io.jepoll.loop.Connection}).</li>
 * </ul>
 *
 * <p>{@code io.jepoll.sys}, the native calls, is not exported: raw descriptors and
 * {@code -errno} results are the loop's business, and keeping them inside leaves the
 * bindings free to change. No exported signature mentions one of its types.
 *
 * <p>The module calls restricted methods (linking libc): run it with
 * {@code --enable-native-access=io.jepoll}, or the JVM warns on first use.
 */
module io.jepoll {
    exports io.jepoll.server;
    exports io.jepoll.http;
    exports io.jepoll.loop;
}
