/**
 * jepoll-test: a jepoll server for the tests of applications built on jepoll.
 *
 * <p>{@link io.jepoll.test.TestServer} starts one on 127.0.0.1 on a free port with a ready
 * client, for any test framework; {@link io.jepoll.test.JepollExtension} runs one around each
 * JUnit Jupiter test class or method and injects its URI, client and server into parameters.
 * Its types appear in the API, so the module reads {@code io.jepoll}, {@code java.net.http} and
 * JUnit's API on behalf of its users.
 */
module io.jepoll.test {
    requires transitive io.jepoll;
    requires transitive java.net.http;
    requires transitive org.junit.jupiter.api;

    exports io.jepoll.test;
}
