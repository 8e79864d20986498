package io.jepoll.http;

import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Seeded random strings for "never throws" checks: mostly chars of a parser's own alphabet (so inputs get deep
 * into the grammar), sometimes any char at all (controls, non-ASCII, lone surrogates).
 */
final class Noise {

    private Noise() {
    }

    static Stream<String> strings(long seed, String alphabet, int maxLength, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        return Stream.generate(() -> {
            int n = r.nextInt(maxLength + 1);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(r.nextInt(8) == 0 ? (char) r.nextInt(0x10000) : alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return b.toString();
        }).limit(count);
    }

    /** Random edits (replace, insert, delete one char) of a valid value: the near misses a parser must refuse. */
    static Stream<String> mutations(long seed, String valid, String alphabet, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        return Stream.generate(() -> {
            StringBuilder b = new StringBuilder(valid);
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(b.length() + 1);
                char c = alphabet.charAt(r.nextInt(alphabet.length()));
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, c);
                    case 1 -> {
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < b.length()) {
                            b.setCharAt(at, c);
                        }
                    }
                }
            }
            return b.toString();
        }).limit(count);
    }
}
