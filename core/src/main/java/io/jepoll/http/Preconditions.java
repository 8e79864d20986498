package io.jepoll.http;

/**
 * Evaluation of the four validator preconditions in the order RFC 9110 §13.2.2 makes a requirement; If-Range is
 * the fifth step and lives with the ranges ({@link ByteRanges#ifRangeAllows}).
 *
 * <ol>
 *   <li>If-Match present: false → 412 (§13.1.1, strong comparison; {@code *} needs a current representation).
 *   <li>Else If-Unmodified-Since present and a valid HTTP-date: modified after it → 412 (§13.1.4).
 *   <li>If-None-Match present: false → 304 for GET/HEAD, else 412 (§13.1.2, weak comparison).
 *   <li>Else, GET/HEAD only, If-Modified-Since a valid HTTP-date: not modified after it → 304 (§13.1.3).
 * </ol>
 *
 * <p>Decisions the RFC leaves open:
 * <ul>
 *   <li>An If-Match value that cannot be parsed (or exceeds the bounds of {@link EntityTag#parseList}) matches
 *       nothing, so it fails: the client asked to act only if the state is one it names, and it named none we
 *       can confirm. An empty If-Match is a list of no tags and fails too.
 *   <li>An unparseable If-None-Match also matches nothing, so its condition is true and the request proceeds
 *       (a full 200 is always a correct answer to a GET); being present, it still disables If-Modified-Since.
 *   <li>The dates are compared as given, a date in the client's future included: RFC 9110 dropped RFC 2616's
 *       rule that such a date is invalid. An invalid date (trailing garbage, a second member of a list) is
 *       ignored, as §13.1.3 and §13.1.4 require.
 *   <li>Negative {@code lastModifiedSeconds} means the representation has no modification date: both date
 *       conditions are then ignored (§13.1.3, §13.1.4).
 * </ul>
 *
 * <p>The caller applies §13.2.1 itself: preconditions are evaluated only when the response without them would
 * be 2xx or 412 (not for a 404, a redirect, a directory listing that fails). Null arguments mean "header absent".
 */
public final class Preconditions {

    /** What the preconditions say to do with the request. */
    public enum Outcome {
        /** Serve the request as if there were no preconditions (then look at Range / If-Range). */
        PROCEED,
        /** 304: only for GET and HEAD. */
        NOT_MODIFIED,
        /** 412. */
        PRECONDITION_FAILED
    }

    private Preconditions() {
    }

    /**
     * The outcome of the four preconditions against the current representation, in the order of the class
     * comment; rfc850 dates are read against the system clock.
     *
     * @param getOrHead           the method is GET or HEAD
     * @param ifMatch             the If-Match field value, or null
     * @param ifUnmodifiedSince   the If-Unmodified-Since field value, or null
     * @param ifNoneMatch         the If-None-Match field value, or null
     * @param ifModifiedSince     the If-Modified-Since field value, or null
     * @param current             the current representation's tag; null when there is none (no ETag, or no
     *                            representation at all)
     * @param lastModifiedSeconds the representation's Last-Modified in epoch seconds; negative when it has none
     * @return what to answer; never null, and never throws for any field value
     */
    public static Outcome evaluate(boolean getOrHead, String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, EntityTag current, long lastModifiedSeconds) {
        return evaluate(getOrHead, ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, current,
                lastModifiedSeconds, Math.floorDiv(System.currentTimeMillis(), 1000));
    }

    /**
     * {@link #evaluate} with the clock given (rfc850 dates need it for their century).
     *
     * @param getOrHead           the method is GET or HEAD
     * @param ifMatch             the If-Match field value, or null
     * @param ifUnmodifiedSince   the If-Unmodified-Since field value, or null
     * @param ifNoneMatch         the If-None-Match field value, or null
     * @param ifModifiedSince     the If-Modified-Since field value, or null
     * @param current             the current representation's tag, or null when there is none
     * @param lastModifiedSeconds the representation's Last-Modified in epoch seconds; negative when it has none
     * @param nowEpochSeconds     the current time in epoch seconds
     * @return what to answer; never null
     */
    public static Outcome evaluate(boolean getOrHead, String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, EntityTag current, long lastModifiedSeconds, long nowEpochSeconds) {
        // Step 1 / step 2: only one of the two, If-Match when both are present.
        if (ifMatch != null) {
            if (!EntityTag.parseList(ifMatch).matchesStrongly(current)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else if (ifUnmodifiedSince != null && lastModifiedSeconds >= 0) {
            long date = HttpDate.seconds(ifUnmodifiedSince, nowEpochSeconds);
            if (date != HttpDate.NONE && lastModifiedSeconds > date) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        // Step 3 / step 4: If-None-Match, or If-Modified-Since when it is absent.
        if (ifNoneMatch != null) {
            if (EntityTag.parseList(ifNoneMatch).matchesWeakly(current)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead && ifModifiedSince != null && lastModifiedSeconds >= 0) {
            long date = HttpDate.seconds(ifModifiedSince, nowEpochSeconds);
            if (date != HttpDate.NONE && lastModifiedSeconds <= date) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }
}
