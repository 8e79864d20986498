package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@code EventSource} makes of a {@code text/event-stream}: the WHATWG HTML standard's parsing ("Interpreting
 * an event stream") step by step, written from the algorithm, so the tests check the encoder against the reader it
 * is for and not against itself. Fed incrementally; it also keeps the comments it skipped, for the heartbeat tests.
 */
public final class EventSourceParser {
    /** A dispatched event: its type ("message" by default), its data, and the last event id at that moment. */
    public record Event(String type, String data, String lastEventId) {}

    private final StringBuilder line = new StringBuilder();
    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String lastEventIdBuffer = "";
    private String lastEventId = "";
    private long retryMillis = -1;
    private boolean afterCr;
    private boolean started;

    /** Parses the whole of {@code bytes} (UTF-8). */
    public static EventSourceParser parse(byte[] bytes) {
        EventSourceParser p = new EventSourceParser();
        p.feed(new String(bytes, StandardCharsets.UTF_8));
        return p;
    }

    /** Takes more of the stream, already decoded. */
    public void feed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (!started) {
                started = true;
                if (ch == '\uFEFF') continue; // one leading BOM is skipped
            }
            if (afterCr) {
                afterCr = false;
                if (ch == '\n') continue; // CRLF: the line ended at the CR
            }
            if (ch == '\r' || ch == '\n') {
                afterCr = ch == '\r';
                processLine(line.toString());
                line.setLength(0);
            } else {
                line.append(ch);
            }
        }
    }

    private void processLine(String l) {
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            comments.add(l.substring(1));
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) lastEventIdBuffer = value;
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) retryMillis = Long.parseLong(value);
            }
            default -> { } // ignored
        }
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer; // even when nothing is dispatched
        if (data.isEmpty()) {
            type = "";
            return;
        }
        if (data.charAt(data.length() - 1) == '\n') data.setLength(data.length() - 1);
        events.add(new Event(type.isEmpty() ? "message" : type, data.toString(), lastEventId));
        data.setLength(0);
        type = "";
    }

    /** The events dispatched so far. */
    public List<Event> events() { return events; }

    /** The comment lines skipped so far, without their colon. */
    public List<String> comments() { return comments; }

    /** The last reconnection time set, or -1. */
    public long retryMillis() { return retryMillis; }

    /** The id the client would send as Last-Event-ID now. */
    public String lastEventId() { return lastEventId; }
}
