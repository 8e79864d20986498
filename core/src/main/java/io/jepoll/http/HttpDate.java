package io.jepoll.http;

/**
 * HTTP-date (RFC 9110 §5.6.7): parsing the three formats a recipient must accept, formatting the one a sender
 * must generate.
 *
 * <pre>
 *   IMF-fixdate   Sun, 06 Nov 1994 08:49:37 GMT     (preferred; the only one {@link #format} writes)
 *   rfc850-date   Sunday, 06-Nov-94 08:49:37 GMT    (obsolete, two-digit year)
 *   asctime-date  Sun Nov  6 08:49:37 1994          (obsolete, ANSI C asctime())
 * </pre>
 *
 * <p>Policy, strict where the grammar is:
 * <ul>
 *   <li>Every fixed part is checked exactly and case-sensitively ("HTTP-date is case sensitive", §5.6.7): the
 *       month and day names, "GMT", single spaces, the punctuation, the digit counts. Trailing or embedded
 *       garbage makes the value invalid (old clients' {@code "...GMT; length=1234"} included).</li>
 *   <li>Surrounding SP/HTAB is trimmed: a field value never has it (§5.5), so this only forgives a caller
 *       that did not trim.</li>
 *   <li>The day name must be one of the seven of the right form (short for IMF-fixdate and asctime, long for
 *       rfc850), but it is <em>not</em> checked against the date. It is redundant, §5.6.7 gives no rule for a
 *       mismatch, and nginx and Apache httpd ignore it too: refusing would only turn a client's conditional
 *       request into an unconditional one.</li>
 *   <li>The calendar is checked: day 1..28/29/30/31 for the month and year, hour 00..23, minute 00..59,
 *       second 00..60 (60 is the leap second RFC 5322 allows; it counts as the first second of the next
 *       minute, since epoch seconds have no leap seconds).</li>
 *   <li>rfc850's two-digit year: the latest year with those digits that is not more than 50 years in the
 *       future of the clock (§5.6.7), so in 2025 "94" is 1994 and "30" is 2030.</li>
 *   <li>At most {@link #MAX_LENGTH} chars before trimming; anything longer is invalid without being read.</li>
 * </ul>
 */
public final class HttpDate {

    /** Longer values are invalid; the longest valid date (rfc850 with "Wednesday") has 33 chars. */
    public static final int MAX_LENGTH = 64;

    /** What {@link #parse} returns for an invalid value. */
    public static final long INVALID = -1;

    /** Inside the package: the invalid result no valid date can have (parse's -1 is also 1969-12-31T23:59:59Z). */
    static final long NONE = Long.MIN_VALUE;

    private static final String[] SHORT_DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final int IMF_LENGTH = 29;
    private static final int ASCTIME_LENGTH = 24;
    private static final int MIN_YEAR = 0;
    private static final int MAX_YEAR = 9999;

    private HttpDate() {
    }

    /**
     * Epoch seconds of an HTTP-date in any of the three formats, or {@link #INVALID} (-1). A valid date before
     * 1970 gives its negative epoch second; 1969-12-31 23:59:59 GMT is therefore indistinguishable from invalid,
     * which no real validator is. Never throws; null is invalid. rfc850 years are read against the system clock.
     *
     * @param value a field value such as If-Modified-Since, or null
     * @return the date in seconds since the epoch, or {@link #INVALID}
     */
    public static long parse(String value) {
        return parse(value, Math.floorDiv(System.currentTimeMillis(), 1000));
    }

    /**
     * {@link #parse(String)} with the clock given, for rfc850's two-digit year.
     *
     * @param value           a field value, or null
     * @param nowEpochSeconds the current time in epoch seconds: a two-digit year is at most 50 years after it
     * @return the date in seconds since the epoch, or {@link #INVALID}
     */
    public static long parse(String value, long nowEpochSeconds) {
        long s = seconds(value, nowEpochSeconds);
        return s == NONE ? INVALID : s;
    }

    /** Like parse, but {@link #NONE} when invalid, so that every valid date is distinguishable. */
    static long seconds(String value, long nowEpochSeconds) {
        if (value == null || value.length() > MAX_LENGTH) {
            return NONE;
        }
        int from = FieldChars.skipOws(value, 0, value.length());
        int to = FieldChars.trimOwsEnd(value, from, value.length());
        if (to - from < ASCTIME_LENGTH) {
            return NONE;
        }
        char fourth = value.charAt(from + 3);
        if (fourth == ',') {
            return imfFixdate(value, from, to);
        }
        if (fourth == ' ') {
            return asctime(value, from, to);
        }
        return rfc850(value, from, to, nowEpochSeconds);
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static long imfFixdate(String s, int p, int to) {
        if (to - p != IMF_LENGTH || indexOf(SHORT_DAYS, s, p, p + 3) < 0
                || s.charAt(p + 4) != ' ' || s.charAt(p + 7) != ' ' || s.charAt(p + 11) != ' '
                || s.charAt(p + 16) != ' ' || s.charAt(p + 25) != ' ' || !s.startsWith("GMT", p + 26)) {
            return NONE;
        }
        int day = digits(s, p + 5, 2);
        int month = indexOf(MONTHS, s, p + 8, p + 11) + 1;
        int year = digits(s, p + 12, 4);
        return epochSeconds(year, month, day, s, p + 17);
    }

    /** {@code Sun Nov  6 08:49:37 1994}; the day is SP DIGIT or 2DIGIT. */
    private static long asctime(String s, int p, int to) {
        if (to - p != ASCTIME_LENGTH || indexOf(SHORT_DAYS, s, p, p + 3) < 0
                || s.charAt(p + 7) != ' ' || s.charAt(p + 10) != ' ' || s.charAt(p + 19) != ' ') {
            return NONE;
        }
        int month = indexOf(MONTHS, s, p + 4, p + 7) + 1;
        int day = s.charAt(p + 8) == ' ' ? digits(s, p + 9, 1) : digits(s, p + 8, 2);
        int year = digits(s, p + 20, 4);
        return epochSeconds(year, month, day, s, p + 11);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static long rfc850(String s, int p, int to, long now) {
        int comma = s.indexOf(',', p);
        if (comma < 0 || comma >= to || indexOf(LONG_DAYS, s, p, comma) < 0) {
            return NONE;
        }
        int d = comma + 1; // " 06-Nov-94 08:49:37 GMT"
        if (to - d != 23 || s.charAt(d) != ' ' || s.charAt(d + 3) != '-' || s.charAt(d + 7) != '-'
                || s.charAt(d + 10) != ' ' || s.charAt(d + 19) != ' ' || !s.startsWith("GMT", d + 20)) {
            return NONE;
        }
        int day = digits(s, d + 1, 2);
        int month = indexOf(MONTHS, s, d + 4, d + 7) + 1;
        int twoDigitYear = digits(s, d + 8, 2);
        if (twoDigitYear < 0) {
            return NONE;
        }
        // §5.6.7: a two-digit year that "appears to be more than 50 years in the future" is the most recent
        // past year with the same last two digits. Take the latest candidate that is at most one year past
        // that horizon, then step back a century if the full timestamp is beyond it.
        long[] today = CivilDate.civilFromDays(Math.floorDiv(now, CivilDate.SECONDS_PER_DAY));
        long horizonYear = today[0] + 50;
        int horizonDay = (int) Math.min(today[2], CivilDate.daysInMonth(horizonYear, (int) today[1]));
        long horizon = CivilDate.daysFromCivil(horizonYear, (int) today[1], horizonDay) * CivilDate.SECONDS_PER_DAY
                + Math.floorMod(now, CivilDate.SECONDS_PER_DAY);
        long year = horizonYear + 1 - Math.floorMod(horizonYear + 1 - twoDigitYear, 100);
        // A candidate that does not exist (29 Feb of a non-leap century year) also steps back a century.
        long t = epochSeconds(year, month, day, s, d + 11);
        return t == NONE || t > horizon ? epochSeconds(year - 100, month, day, s, d + 11) : t;
    }

    /** Epoch seconds of the date with the "HH:MM:SS" at time, or NONE if any part is out of range. */
    private static long epochSeconds(long year, int month, int day, String s, int time) {
        if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || day < 1
                || day > CivilDate.daysInMonth(year, month)
                || s.charAt(time + 2) != ':' || s.charAt(time + 5) != ':') {
            return NONE;
        }
        int hour = digits(s, time, 2);
        int minute = digits(s, time + 3, 2);
        int second = digits(s, time + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return NONE;
        }
        return CivilDate.daysFromCivil(year, month, day) * CivilDate.SECONDS_PER_DAY
                + hour * 3600L + minute * 60L + second;
    }

    /**
     * IMF-fixdate of an epoch second, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}.
     *
     * @param epochSeconds the time, in seconds since the epoch (negative before 1970)
     * @return the 29-char field value
     * @throws IllegalArgumentException when the year is outside 0000..9999, which IMF-fixdate cannot express
     */
    public static String format(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, CivilDate.SECONDS_PER_DAY);
        int secondOfDay = Math.floorMod(epochSeconds, CivilDate.SECONDS_PER_DAY);
        long[] ymd = CivilDate.civilFromDays(days);
        long year = ymd[0];
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new IllegalArgumentException("year " + year + " is outside 0000..9999: " + epochSeconds);
        }
        StringBuilder b = new StringBuilder(IMF_LENGTH);
        b.append(SHORT_DAYS[CivilDate.dayOfWeek(days)]).append(", ");
        two(b, (int) ymd[2]).append(' ').append(MONTHS[(int) ymd[1] - 1]).append(' ');
        two(b, (int) (year / 100));
        two(b, (int) (year % 100)).append(' ');
        two(b, secondOfDay / 3600).append(':');
        two(b, secondOfDay / 60 % 60).append(':');
        two(b, secondOfDay % 60).append(" GMT");
        return b.toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** Index of the name equal to s[from, to), case-sensitively, or -1. */
    private static int indexOf(String[] names, String s, int from, int to) {
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            if (n.length() == to - from && s.startsWith(n, from)) {
                return i;
            }
        }
        return -1;
    }

    /** Value of count ASCII digits at s[from..], or -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
