package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One event of a {@code text/event-stream} body, encoded as the WHATWG HTML standard's "server-sent events" section
 * says an {@code EventSource} parses it.
 *
 * <pre>{@code
 * ServerSentEvent.data("42")                                   // data: 42
 * ServerSentEvent.data("a\nb").withEvent("tick").withId("7")   // event: tick / id: 7 / data: a / data: b
 * }</pre>
 *
 * <p>The rules, each checked when the event is made:
 * <ul>
 *   <li>{@code data}: any text. It is split at every line break (CRLF, LF or CR, the three the parser knows), one
 *       {@code data:} line each; the client joins them with LF, so a multi-line value arrives whole (with LF for
 *       every break). Empty data is an event with an empty value; null data sends no {@code data:} line, so the
 *       client dispatches nothing but still takes the id and retry.</li>
 *   <li>{@code id}: no LF or CR (it would end the line) and no NUL (the client ignores such an id). Empty resets
 *       the client's last event id, the one it sends back in {@code Last-Event-ID} when it reconnects.</li>
 *   <li>{@code event}: no LF or CR. Null (or empty) makes the client dispatch a {@code message} event.</li>
 *   <li>{@code retry}: the client's reconnection delay, sent as whole milliseconds; not negative.</li>
 * </ul>
 * Every field value is written after a single space, which the parser strips, so a value that itself starts with
 * a space keeps it. The bytes are UTF-8, the only encoding the format has.
 *
 * @param id    the event's id, or null for none
 * @param event the event's type, or null for the default ({@code message})
 * @param data  the event's data, or null for none
 * @param retry the reconnection delay to ask for, or null for none
 */
public record ServerSentEvent(String id, String event, String data, Duration retry) {
    private static final byte[] HEARTBEAT = {':', '\n', '\n'};

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when a field breaks a rule above, or when every field is null
     */
    public ServerSentEvent {
        if (id != null) {
            checkNoLineBreak("id", id);
            if (id.indexOf('\0') >= 0) throw new IllegalArgumentException("an event id must not contain NUL");
        }
        if (event != null) checkNoLineBreak("event", event);
        if (retry != null) checkRetry(retry);
        if (id == null && event == null && data == null && retry == null) {
            throw new IllegalArgumentException("an event needs data, an id, a type or a retry");
        }
    }

    /**
     * An event with {@code data} and no other field.
     *
     * @param data the text; line breaks are allowed
     * @return the event
     */
    public static ServerSentEvent data(String data) {
        if (data == null) throw new IllegalArgumentException("data is null");
        return new ServerSentEvent(null, null, data, null);
    }

    /**
     * This event with type {@code event}.
     *
     * @param event the type the client dispatches (its {@code addEventListener} name)
     * @return a new event
     */
    public ServerSentEvent withEvent(String event) { return new ServerSentEvent(id, event, data, retry); }

    /**
     * This event with id {@code id}.
     *
     * @param id the id the client remembers and sends back as {@code Last-Event-ID}; empty resets it
     * @return a new event
     */
    public ServerSentEvent withId(String id) { return new ServerSentEvent(id, event, data, retry); }

    /**
     * This event asking the client to wait {@code retry} before reconnecting.
     *
     * @param retry the delay, sent in whole milliseconds
     * @return a new event
     */
    public ServerSentEvent withRetry(Duration retry) { return new ServerSentEvent(id, event, data, retry); }

    /**
     * The event as it goes on the wire: its fields, one per line, then the blank line that dispatches it.
     *
     * @return UTF-8 bytes
     */
    public byte[] encode() {
        StringBuilder b = new StringBuilder(32 + (data == null ? 0 : data.length()));
        if (event != null) field(b, "event", event);
        if (id != null) field(b, "id", id);
        if (retry != null) field(b, "retry", Long.toString(retry.toMillis()));
        if (data != null) lines(b, "data", data);
        return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A comment: lines the client reads and ignores, used to keep an idle stream (and the proxies on its way)
     * from timing out. Line breaks in {@code text} make several comment lines; a blank line follows, so that
     * readers that split the stream at blank lines see the comment as a block of its own (an {@code EventSource}
     * dispatches nothing for it).
     *
     * @param text the comment; empty gives the shortest heartbeat, {@code ":\n\n"}
     * @return UTF-8 bytes
     */
    public static byte[] encodeComment(String text) {
        if (text == null) throw new IllegalArgumentException("comment is null");
        if (text.isEmpty()) return HEARTBEAT.clone();
        StringBuilder b = new StringBuilder(text.length() + 4);
        lines(b, "", text);
        return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void checkRetry(Duration retry) {
        if (retry.isNegative()) throw new IllegalArgumentException("retry is negative: " + retry);
        try {
            retry.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("retry does not fit in a long of milliseconds: " + retry);
        }
    }

    private static void checkNoLineBreak(String field, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event " + field + " must not contain a line break");
        }
    }

    /** One line {@code name: value}; the value is written after a space only when there is one. */
    private static void field(StringBuilder b, String name, CharSequence value) {
        b.append(name).append(':');
        if (!value.isEmpty()) b.append(' ').append(value);
        b.append('\n');
    }

    /** One {@code name:} line for each line of {@code text}, split at CRLF, LF and CR; a trailing break gives an empty last line. */
    private static void lines(StringBuilder b, String name, String text) {
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\n' && ch != '\r') continue;
            field(b, name, text.subSequence(start, i));
            if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++; // CRLF is one break
            start = i + 1;
        }
        field(b, name, text.subSequence(start, text.length()));
    }
}
