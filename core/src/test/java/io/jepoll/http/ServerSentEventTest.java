package io.jepoll.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ServerSentEvent's encoding, read back by the WHATWG parsing algorithm ({@link EventSourceParser}). */
class ServerSentEventTest {

    private static String wire(ServerSentEvent e) { return new String(e.encode(), StandardCharsets.UTF_8); }

    @Test
    void dataOnly() {
        assertThat(wire(ServerSentEvent.data("1"))).isEqualTo("data: 1\n\n");
        assertThat(EventSourceParser.parse(ServerSentEvent.data("1").encode()).events())
                .containsExactly(new EventSourceParser.Event("message", "1", ""));
    }

    @Test
    void everyFieldInOrder() {
        ServerSentEvent e = ServerSentEvent.data("x").withEvent("tick").withId("7").withRetry(Duration.ofMillis(2500));
        assertThat(wire(e)).isEqualTo("event: tick\nid: 7\nretry: 2500\ndata: x\n\n");
        EventSourceParser p = EventSourceParser.parse(e.encode());
        assertThat(p.events()).containsExactly(new EventSourceParser.Event("tick", "x", "7"));
        assertThat(p.retryMillis()).isEqualTo(2500);
    }

    @Test
    void everyKindOfLineBreakInDataMakesOneDataLine() {
        ServerSentEvent e = ServerSentEvent.data("a\nb\r\nc\rd");
        assertThat(wire(e)).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
        assertThat(EventSourceParser.parse(e.encode()).events().getFirst().data()).isEqualTo("a\nb\nc\nd");
    }

    @Test
    void emptyLinesAndTrailingBreaksSurvive() {
        assertThat(wire(ServerSentEvent.data(""))).isEqualTo("data:\n\n");
        assertThat(wire(ServerSentEvent.data("a\n"))).isEqualTo("data: a\ndata:\n\n");
        assertThat(wire(ServerSentEvent.data("\r\n\r\n"))).isEqualTo("data:\ndata:\ndata:\n\n");
        assertThat(wire(ServerSentEvent.data("\n\r"))).isEqualTo("data:\ndata:\ndata:\n\n"); // LF then CR: two breaks
        for (String d : List.of("", "a\n", "\n\n", "\r\n", "x\r\n\ry")) {
            assertThat(EventSourceParser.parse(ServerSentEvent.data(d).encode()).events())
                    .as("data %s", d.replace("\r", "\\r").replace("\n", "\\n"))
                    .containsExactly(new EventSourceParser.Event("message", normalise(d), ""));
        }
    }

    @Test
    void aLeadingSpaceOfTheValueIsKept() {
        ServerSentEvent e = ServerSentEvent.data("  two spaces\n tab\t").withEvent(" e").withId(" i");
        assertThat(EventSourceParser.parse(e.encode()).events())
                .containsExactly(new EventSourceParser.Event(" e", "  two spaces\n tab\t", " i"));
    }

    @Test
    void utf8AndColonsInData() {
        ServerSentEvent e = ServerSentEvent.data("é ✓ 𝄞 a:b: c").withEvent("ünï");
        assertThat(e.encode()).isEqualTo("event: ünï\ndata: é ✓ 𝄞 a:b: c\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(EventSourceParser.parse(e.encode()).events().getFirst().data()).isEqualTo("é ✓ 𝄞 a:b: c");
    }

    @Test
    void withoutDataNothingIsDispatchedButTheIdAndRetryAreTaken() {
        ServerSentEvent e = new ServerSentEvent("42", null, null, Duration.ofSeconds(3));
        assertThat(wire(e)).isEqualTo("id: 42\nretry: 3000\n\n");
        EventSourceParser p = EventSourceParser.parse(e.encode());
        assertThat(p.events()).isEmpty();
        assertThat(p.lastEventId()).isEqualTo("42");
        assertThat(p.retryMillis()).isEqualTo(3000);
    }

    @Test
    void anEmptyIdResetsTheLastEventId() {
        byte[] both = concat(ServerSentEvent.data("a").withId("1").encode(), ServerSentEvent.data("b").withId("").encode());
        EventSourceParser p = EventSourceParser.parse(both);
        assertThat(p.events()).extracting(EventSourceParser.Event::lastEventId).containsExactly("1", "");
        assertThat(new String(ServerSentEvent.data("b").withId("").encode(), StandardCharsets.UTF_8)).isEqualTo("id:\ndata: b\n\n");
    }

    @Test
    void retryIsWholeMilliseconds() {
        assertThat(wire(ServerSentEvent.data("x").withRetry(Duration.ofNanos(1_999_999)))).contains("retry: 1\n");
        assertThat(wire(ServerSentEvent.data("x").withRetry(Duration.ZERO))).contains("retry: 0\n");
        assertThatThrownBy(() -> ServerSentEvent.data("x").withRetry(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.data("x").withRetry(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "\r\n", "\n"})
    void lineBreaksInIdOrEventAreRefused(String bad) {
        assertThatThrownBy(() -> ServerSentEvent.data("x").withId(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.data("x").withEvent(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nulInAnIdIsRefusedElsewhereItIsData() {
        assertThatThrownBy(() -> ServerSentEvent.data("x").withId("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventSourceParser.parse(ServerSentEvent.data("a\0b").withEvent("e\0").encode()).events())
                .containsExactly(new EventSourceParser.Event("e\0", "a\0b", ""));
    }

    @Test
    void anEventWithNothingIsRefused() {
        assertThatThrownBy(() -> new ServerSentEvent(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSentEvent.data(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commentsAreIgnoredByTheClient() {
        assertThat(new String(ServerSentEvent.encodeComment(""), StandardCharsets.UTF_8)).isEqualTo(":\n\n");
        assertThat(new String(ServerSentEvent.encodeComment("ping"), StandardCharsets.UTF_8)).isEqualTo(": ping\n\n");
        assertThat(new String(ServerSentEvent.encodeComment("a\r\nb\rc"), StandardCharsets.UTF_8)).isEqualTo(": a\n: b\n: c\n\n");
        byte[] stream = concat(ServerSentEvent.data("1").withEvent("t").encode(), ServerSentEvent.encodeComment("x\ny"),
                ServerSentEvent.encodeComment(""), ServerSentEvent.data("2").encode());
        EventSourceParser p = EventSourceParser.parse(stream);
        assertThat(p.events()).containsExactly(new EventSourceParser.Event("t", "1", ""), new EventSourceParser.Event("message", "2", ""));
        assertThat(p.comments()).containsExactly(" x", " y", "");
    }

    @Test
    void encodedEventsAnyDataAnyFieldsReadBackAsSent() {
        String alphabet = "ab :\r\n\t é𝄞\0";
        Property.forAll("sse round trip", 2000, r -> randomEvent(r, alphabet), e -> List.of(), ServerSentEventTest::describe, e -> {
            byte[] two = concat(e.encode(), e.encode()); // the second one also sees what the first left behind
            EventSourceParser p = EventSourceParser.parse(two);
            if (e.data() == null) {
                assertThat(p.events()).isEmpty();
            } else {
                String type = e.event() == null || e.event().isEmpty() ? "message" : e.event();
                String id = e.id() == null ? "" : e.id();
                EventSourceParser.Event want = new EventSourceParser.Event(type, normalise(e.data()), id);
                assertThat(p.events()).containsExactly(want, want);
            }
            if (e.retry() != null) assertThat(p.retryMillis()).isEqualTo(e.retry().toMillis());
        });
    }

    private static ServerSentEvent randomEvent(SplittableRandom r, String alphabet) {
        String data = r.nextInt(5) == 0 ? null : random(r, alphabet, 12);
        String id = r.nextBoolean() ? null : random(r, alphabet, 6).replaceAll("[\r\n\0]", "");
        String event = r.nextBoolean() ? null : random(r, alphabet, 6).replaceAll("[\r\n]", "");
        Duration retry = r.nextInt(4) == 0 ? Duration.ofMillis(r.nextInt(100_000)) : null;
        if (data == null && id == null && event == null && retry == null) data = "";
        return new ServerSentEvent(id, event, data, retry);
    }

    private static String random(SplittableRandom r, String alphabet, int maxLen) {
        StringBuilder b = new StringBuilder();
        int[] cps = alphabet.codePoints().toArray();
        for (int n = r.nextInt(maxLen + 1); n > 0; n--) b.appendCodePoint(cps[r.nextInt(cps.length)]);
        return b.toString();
    }

    private static String describe(ServerSentEvent e) {
        return e.toString().replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    /** The data as the client gives it back: every line break is LF. */
    private static String normalise(String data) { return data.replace("\r\n", "\n").replace('\r', '\n'); }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
