package io.jepoll.http;

/**
 * Proleptic Gregorian calendar arithmetic in UTC, the calendar of HTTP-date (RFC 9110 §5.6.7): days since
 * 1970-01-01 to and from year, month, day. Plain integer arithmetic (the "days from civil" algorithm of
 * H. Hinnant), so parsing a date costs no java.time objects.
 */
final class CivilDate {

    static final int SECONDS_PER_DAY = 86_400;

    private CivilDate() {
    }

    /** Days from 1970-01-01 to year-month-day; month 1..12, day 1..31, not checked here. */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** {year, month, day} of a day count from 1970-01-01. */
    static long[] civilFromDays(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return new long[] {year, month, day};
    }

    /** 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday. */
    static int dayOfWeek(long days) {
        return (int) Math.floorMod(days + 4, 7L);
    }

    static boolean isLeapYear(long year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int daysInMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
