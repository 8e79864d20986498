package io.jepoll.http;

/** RFC 9110 §5.6.2 token characters, as a lookup table. */
final class Tokens {
    private Tokens() {}

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    static boolean isTchar(int c) { return c >= 0 && c < 128 && TCHAR[c]; }
}
