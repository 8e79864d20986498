package io.jepoll.http;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A small property-test runner: draws inputs from a seeded generator, checks each, and on a failure shrinks the
 * input greedily and reports the seed, the smallest failing input found and the original one.
 *
 * <p>Written here instead of using jqwik: from 1.10 on, jqwik's maintainers ask that coding agents not use it
 * (their "Anti-AI Usage Clause"), and this package's tests were written by one. The generators are plain
 * functions of a {@link SplittableRandom}, so they can be wrapped as jqwik arbitraries if that changes.
 *
 * <p>Runs are reproducible: the base seed is fixed unless {@code -Djepoll.seed=N} is given (try other seeds to
 * explore), and {@code -Djepoll.tries=N} overrides the number of tries of every property.
 */
final class Property {

    static final long BASE_SEED = Long.getLong("jepoll.seed", 0x6A65706F6C6CL);
    private static final Integer TRIES = Integer.getInteger("jepoll.tries");

    @FunctionalInterface
    interface Check<T> {
        void check(T input) throws Exception;
    }

    private Property() {
    }

    /**
     * Checks input after input. shrink gives smaller variants of a failing input (may be empty); describe renders
     * an input for the failure message.
     */
    static <T> void forAll(String name, int tries, Function<SplittableRandom, T> generator,
                           Function<T, List<T>> shrink, Function<T, String> describe, Check<T> check) {
        SplittableRandom seeds = new SplittableRandom(BASE_SEED ^ name.hashCode());
        int n = TRIES != null ? TRIES : tries;
        for (int i = 0; i < n; i++) {
            long seed = seeds.nextLong();
            T input = generator.apply(new SplittableRandom(seed));
            Throwable failure = failure(check, input);
            if (failure != null) {
                T smallest = input;
                Throwable smallestFailure = failure;
                for (int steps = 0; steps < 10_000; steps++) {
                    T next = null;
                    for (T candidate : shrink.apply(smallest)) {
                        Throwable f = failure(check, candidate);
                        if (f != null) {
                            next = candidate;
                            smallestFailure = f;
                            break;
                        }
                    }
                    if (next == null) {
                        break;
                    }
                    smallest = next;
                }
                AssertionError e = new AssertionError(name + " falsified at try " + i + " (base seed " + BASE_SEED
                        + ", input seed " + seed + ")\nshrunk: " + describe.apply(smallest)
                        + "\noriginal: " + describe.apply(input) + "\nbecause: " + smallestFailure, smallestFailure);
                throw e;
            }
        }
    }

    private static <T> Throwable failure(Check<T> check, T input) {
        try {
            check.check(input);
            return null;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }
}
