package io.jepoll.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a server has done since it started, as one snapshot ({@link HttpServer#metrics()}, with
 * {@link HttpServer.Builder#metrics(boolean)} on), and its Prometheus text ({@link #prometheusText()}).
 *
 * <p>The counters are kept per event loop by the loop's own thread, with no lock, and summed here (the blocking
 * transports share one set of thread-safe counters instead), so each figure is exact as of the moment it was read
 * but the figures are not one consistent cut: a request finishing during the snapshot may be in one count and not
 * yet in another.
 *
 * @param requests            exchanges by method and status class, refusals included; only the pairs seen
 * @param duration            how long the server held each exchange a handler answered (refusals have none): on an
 *                            event loop, from the start of the loop's turn that read the request to the end of the
 *                            callback that answered it, just before the loop sends the response (for a streamed
 *                            body: to its end); exchanges of one read share both ends. On a blocking thread, from
 *                            the complete request to the response written
 * @param responseBytes       body bytes handed to connections: Content-Length, or a streamed body's data without its
 *                            chunk framing; heads not included
 * @param connectionsOpen     connections open now
 * @param connectionsAccepted connections accepted since the start
 * @param rejected            requests refused before a handler saw them, by status (400, 408, 413, 414, 417, 431,
 *                            501, 505), each present
 * @param timeouts            deadlines that fired, by kind, each present
 * @param acceptPauses        times accepting paused, by cause, each present
 * @param handlerErrors       handler calls that threw or returned null (answered 500), and streamed bodies whose
 *                            writer threw something other than an I/O error
 * @param accessLogDropped    access log lines dropped because its queue was full (0 without a log)
 * @param loops               each event loop's load (empty for the blocking transports)
 */
public record Metrics(List<RequestCount> requests, Histogram duration, long responseBytes, int connectionsOpen,
                      long connectionsAccepted, Map<Integer, Long> rejected, Map<Timeout, Long> timeouts,
                      Map<AcceptPause, Long> acceptPauses, long handlerErrors, long accessLogDropped,
                      List<LoopLoad> loops) {

    /**
     * Copies every collection, keeping the orders the text uses: by status, by kind, by cause.
     *
     * @throws NullPointerException when a component is null
     */
    public Metrics {
        requests = List.copyOf(requests);
        rejected = Collections.unmodifiableMap(new TreeMap<>(rejected));
        timeouts = Collections.unmodifiableMap(new EnumMap<>(timeouts));
        acceptPauses = Collections.unmodifiableMap(new EnumMap<>(acceptPauses));
        loops = List.copyOf(loops);
        if (duration == null) throw new NullPointerException("duration");
    }

    /** The {@code Content-Type} of {@link #prometheusText()}: the Prometheus text format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The methods counted by name; any other is {@code "other"}, and a request refused before its method was read is {@code "unknown"}. */
    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other", "unknown");

    /**
     * Exchanges of one method and status class.
     *
     * @param method      one of {@link #METHODS}
     * @param statusClass 1 to 5: 1xx to 5xx
     * @param count       how many
     */
    public record RequestCount(String method, int statusClass, long count) {
        /**
         * The class as Prometheus labels it.
         *
         * @return {@code "2xx"} for 2, and so on
         */
        public String statusClassLabel() { return statusClass + "xx"; }
    }

    /**
     * A histogram with fixed buckets, as Prometheus counts them: bucket {@code i} holds every observation of at most
     * {@code upperBounds[i]} seconds (cumulative), and the last one, without a bound ({@code +Inf}), holds all.
     *
     * @param upperBounds      each bucket's bound, in seconds, increasing
     * @param cumulativeCounts one more than the bounds: the observations up to each bound, then all of them
     * @param sumNanos         the sum of the observations, in nanoseconds
     */
    public record Histogram(List<Double> upperBounds, List<Long> cumulativeCounts, long sumNanos) {
        /**
         * Copies the lists and checks their sizes.
         *
         * @throws IllegalArgumentException when there is not one count more than bounds
         */
        public Histogram {
            upperBounds = List.copyOf(upperBounds);
            cumulativeCounts = List.copyOf(cumulativeCounts);
            if (cumulativeCounts.size() != upperBounds.size() + 1) {
                throw new IllegalArgumentException(upperBounds.size() + " bounds need " + (upperBounds.size() + 1) + " counts");
            }
        }

        /**
         * How many observations there were.
         *
         * @return the last cumulative count
         */
        public long count() { return cumulativeCounts.getLast(); }

        /**
         * The sum of the observations.
         *
         * @return seconds
         */
        public double sumSeconds() { return sumNanos / 1e9; }
    }

    /** Which deadline fired. */
    public enum Timeout {
        /** A keep-alive connection sent no request within the idle timeout: closed. */
        IDLE,
        /** A request head (or a PROXY header) was not complete within the header timeout: 408 (a PROXY header: closed). */
        HEADER,
        /** A request body made no progress within the body timeout: 408. */
        BODY,
        /** The client read nothing of its response within the write timeout: closed (event loops only). */
        WRITE;

        /**
         * The Prometheus label value.
         *
         * @return the name in lower case
         */
        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Why accepting paused. */
    public enum AcceptPause {
        /** The server had its maximum of connections open: accepting resumes when one closes. */
        CONNECTION_LIMIT,
        /** Descriptors or kernel memory ran out (EMFILE, ENFILE, ENOBUFS, ENOMEM): accepting resumes 100 ms later. */
        NO_RESOURCES;

        /**
         * The Prometheus label value.
         *
         * @return the name in lower case
         */
        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * One event loop's work.
     *
     * @param loop        the loop's index
     * @param connections connections open on it now
     * @param busyNanos   time it spent working rather than waiting for events, since it started (a turn is counted
     *                    when the loop goes back to waiting)
     * @param upNanos     time since it started
     */
    public record LoopLoad(int loop, int connections, long busyNanos, long upNanos) {
        /**
         * The fraction of the time the loop was busy between {@code earlier} (a snapshot of the same loop) and this
         * one; 1 means it never waited for events.
         *
         * @param earlier the same loop's load in an older snapshot, or null for the loop's whole life
         * @return a number from 0 to 1
         */
        public double busyRatioSince(LoopLoad earlier) {
            long busy = busyNanos - (earlier == null ? 0 : earlier.busyNanos);
            long up = upNanos - (earlier == null ? 0 : earlier.upNanos);
            return up <= 0 ? 0 : Math.clamp((double) busy / up, 0.0, 1.0);
        }
    }

    /**
     * Requests of every method and status class together.
     *
     * @return the sum of {@link #requests()}
     */
    public long requestCount() {
        long n = 0;
        for (RequestCount r : requests) n += r.count();
        return n;
    }

    /**
     * The requests of one method and status class.
     *
     * @param method      one of {@link #METHODS}
     * @param statusClass 1 to 5
     * @return how many, 0 when none
     */
    public long requests(String method, int statusClass) {
        for (RequestCount r : requests) if (r.method().equals(method) && r.statusClass() == statusClass) return r.count();
        return 0;
    }

    /**
     * This snapshot in the Prometheus text format (version 0.0.4), each loop's busy ratio over its whole life.
     *
     * @return the text, one sample per line, ending with a newline
     */
    public String prometheusText() { return prometheusText(null); }

    /**
     * As {@link #prometheusText()}, each loop's busy ratio since {@code previous} (an older snapshot of the same
     * server: what a scrape endpoint took the time before), or over its whole life when null.
     *
     * @param previous an older snapshot, or null
     * @return the text
     */
    public String prometheusText(Metrics previous) {
        StringBuilder sb = new StringBuilder(4096);
        try {
            writeTo(sb, previous);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return sb.toString();
    }

    /**
     * Writes {@link #prometheusText()} to {@code out}.
     *
     * @param out where the text goes
     * @throws IOException when {@code out} fails
     */
    public void writeTo(Appendable out) throws IOException { writeTo(out, null); }

    /**
     * Writes {@link #prometheusText(Metrics)} to {@code out}.
     *
     * @param out      where the text goes
     * @param previous an older snapshot for the busy ratios, or null
     * @throws IOException when {@code out} fails
     */
    public void writeTo(Appendable out, Metrics previous) throws IOException { new PrometheusText(out).write(this, previous); }
}
