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
 *       {@link io.jepoll.loop.ConnectionHandler}, {@link io.jepoll.loop.Connection});</li>
 *   <li>{@link io.jepoll.tls}: {@link io.jepoll.tls.TlsContext}, a server's certificates (PEM or
 *       PKCS#12) as a JDK {@code SSLContext}, reloadable; it imports nothing else of jepoll.</li>
 * </ul>
 *
 * <p>{@code io.jepoll.sys}, the native calls, is not exported: raw descriptors and
 * {@code -errno} results are the loop's business, and keeping them inside leaves the
 * bindings free to change. No exported signature mentions one of its types.
 *
 * <p>It reads nothing but {@code java.base}, and {@code jdk.jfr} where present ({@code requires static}: on the
 * module path add {@code --add-modules jdk.jfr} for the JFR events of {@link io.jepoll.server.HttpServer.Builder#metrics(boolean)}).
 *
 * <p>The module calls restricted methods (linking libc): run it with
 * {@code --enable-native-access=io.jepoll}, or the JVM warns on first use.
 */
module io.jepoll {
    // JFR events (HttpServer.Builder.metrics) when the runtime has jdk.jfr; a runtime without it runs all the same.
    requires static jdk.jfr;

    exports io.jepoll.server;
    exports io.jepoll.http;
    exports io.jepoll.loop;
    exports io.jepoll.tls;
}
