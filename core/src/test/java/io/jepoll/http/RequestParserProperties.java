package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.TestEncoder.Framing;
import io.jepoll.http.TestEncoder.Spec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties of the parser over generated input (see {@link Property} for the runner and why it is not jqwik).
 * Every parse goes through {@link ParserDriver}, which overwrites the shared read buffer between reads.
 */
class RequestParserProperties {

    private static final HttpLimits LIMITS = HttpLimits.defaults();

    record Split(List<Spec> specs, int[] readSizes) {
        @Override
        public String toString() {
            return "reads " + Arrays.toString(readSizes) + " of " + Generators.describe(Generators.encodeAll(specs));
        }
    }

    record Noise(byte[] bytes, int[] readSizes) {
        @Override
        public String toString() {
            return "reads " + Arrays.toString(readSizes) + " of " + Generators.describe(bytes);
        }
    }

    /** (1) However a valid stream is cut into reads, the same requests come out, in the same order. */
    @Test
    void anySplitYieldsTheSameRequestsAsFeedingWhole() {
        Property.forAll("split invariance", 10_000,
                r -> new Split(Generators.specs(r), Generators.readSizes(r)),
                s -> shrinkSpecs(s.specs()).stream().map(specs -> new Split(specs, s.readSizes())).toList(),
                Split::toString,
                s -> {
                    byte[] stream = Generators.encodeAll(s.specs());
                    ParserDriver.Outcome whole = ParserDriver.whole(stream, LIMITS);
                    assertThat(whole.status()).as("error status").isZero();
                    assertThat(whole.requests()).hasSize(s.specs().size());
                    ParserDriver.Outcome split = ParserDriver.run(stream, LIMITS, s.readSizes());
                    assertThat(split).isEqualTo(whole);
                    ParserDriver.Outcome bytewise = ParserDriver.oneByteAtATime(stream, LIMITS);
                    assertThat(bytewise).isEqualTo(whole);
                });
    }

    /** (2) Whatever the bytes, feed() throws nothing but HttpException, and the split does not change the verdict. */
    @Test
    void arbitraryBytesOnlyEverRaiseHttpException() {
        Property.forAll("only HttpException", 30_000,
                r -> new Noise(Generators.noise(r), Generators.readSizes(r)),
                n -> Generators.shrinkBytes(n.bytes()).stream().map(b -> new Noise(b, n.readSizes())).toList(),
                Noise::toString,
                n -> {
                    // ParserDriver lets anything but HttpException escape, which fails the property
                    ParserDriver.Outcome whole = ParserDriver.whole(n.bytes(), LIMITS);
                    ParserDriver.Outcome split = ParserDriver.run(n.bytes(), LIMITS, n.readSizes());
                    ParserDriver.Outcome bytewise = ParserDriver.oneByteAtATime(n.bytes(), LIMITS);
                    // the inputs are far below every limit, so where an error is found cannot depend on the cuts
                    assertThat(split).isEqualTo(whole);
                    assertThat(bytewise).isEqualTo(whole);
                    assertThat(whole.status()).isIn(0, 400, 413, 417, 501, 505);
                });
    }

    /** (3) encode → parse gives back method, target, fields (in order) and body, for each framing. */
    @Test
    void encodeThenParseRoundTrips() {
        Property.forAll("round trip", 10_000,
                r -> new Split(Generators.specs(r), Generators.readSizes(r)),
                s -> shrinkSpecs(s.specs()).stream().map(specs -> new Split(specs, s.readSizes())).toList(),
                Split::toString,
                s -> {
                    ParserDriver.Outcome out = ParserDriver.run(Generators.encodeAll(s.specs()), LIMITS, s.readSizes());
                    assertThat(out.status()).as("error status").isZero();
                    List<String> expected = new ArrayList<>();
                    List<String> actual = new ArrayList<>();
                    for (Spec spec : s.specs()) {
                        expected.add(TestEncoder.expectedEssence(spec));
                    }
                    for (ParserDriver.Seen seen : out.requests()) {
                        actual.add(seen.essence());
                    }
                    assertThat(actual).containsExactlyElementsOf(expected);
                    int withBody = 0;
                    for (int i = 0; i < s.specs().size(); i++) {
                        Spec spec = s.specs().get(i);
                        ParserDriver.Seen seen = out.requests().get(i);
                        assertThat(seen.chunked()).isEqualTo(spec.framing() == Framing.CHUNKED);
                        assertThat(seen.contentLength())
                                .isEqualTo(spec.framing() == Framing.LENGTH ? spec.body().length : -1L);
                        assertThat(seen.keepAlive()).isEqualTo(spec.versionMinor() == 1);
                        boolean hasBody = spec.framing() == Framing.CHUNKED
                                || (spec.framing() == Framing.LENGTH && spec.body().length > 0);
                        withBody += hasBody ? 1 : 0;
                    }
                    assertThat(out.headCompletes()).as("HEAD_COMPLETE once per request with a body").isEqualTo(withBody);
                });
    }

    private static List<List<Spec>> shrinkSpecs(List<Spec> specs) {
        return Generators.shrinkSpecs(specs);
    }
}
