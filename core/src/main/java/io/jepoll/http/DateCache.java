package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The {@code Date} header line (RFC 9110 §6.6.1, IMF-fixdate), formatted at most once a
 * second and shared by every loop: a request costs a clock read and an array copy.
 */
final class DateCache {
    private DateCache() {}

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** Immutable pair, so a reader never sees a second from one write and bytes from another. */
    private record Line(long second, byte[] bytes) {}

    private static volatile Line current = new Line(Long.MIN_VALUE, new byte[0]);

    /** {@return {@code "Date: Thu, 26 Nov 2026 15:18:33 GMT\r\n"} for the current second} */
    public static byte[] line() { return line(System.currentTimeMillis()); }

    /**
     * The Date line for {@code epochMillis}; the same array for every call within one second.
     *
     * @param epochMillis the time, in milliseconds since the epoch
     * @return the line, CRLF included; shared, so not to be changed
     */
    public static byte[] line(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Line l = current;
        if (l.second != second) { // a race here only formats the same second twice
            l = new Line(second, format(second));
            current = l;
        }
        return l.bytes;
    }

    static byte[] format(long epochSecond) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
        String s = "Date: " + DAYS[t.getDayOfWeek().getValue() - 1] + ", "
                + two(t.getDayOfMonth()) + " " + MONTHS[t.getMonthValue() - 1] + " " + t.getYear() + " "
                + two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond()) + " GMT\r\n";
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String two(int v) { return v < 10 ? "0" + v : Integer.toString(v); }
}
