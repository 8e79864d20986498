package io.jepoll.server;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Metrics} snapshot in the Prometheus text exposition format, version 0.0.4: per family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples, {@code name{label="value",...} number}. Counters end
 * in {@code _total}; the histogram has cumulative {@code _bucket{le="..."}} lines, then {@code _sum} and
 * {@code _count}. Label values are escaped ({@code \}, {@code "} and newline), so no value can end a line or a
 * label early; numbers are written exactly (seconds from nanoseconds, never in exponent form).
 */
final class PrometheusText {
    private final Appendable out;

    PrometheusText(Appendable out) { this.out = out; }

    void write(Metrics m, Metrics previous) throws IOException {
        family("jepoll_requests_total", "counter", "Requests answered, refusals included, by method and status class.");
        for (Metrics.RequestCount r : m.requests()) {
            sample("jepoll_requests_total", "method", r.method(), "status_class", r.statusClassLabel(), Long.toString(r.count()));
        }
        histogram("jepoll_request_duration_seconds",
                "Time the server held a request: from the loop's turn that read it to its response leaving (a stream: to its end); refusals excluded.",
                m.duration());
        counter("jepoll_response_bytes_total", "Response body bytes handed to connections (heads and chunk framing excluded).", m.responseBytes());
        family("jepoll_connections_open", "gauge", "Connections open now.");
        sample("jepoll_connections_open", Integer.toString(m.connectionsOpen()));
        counter("jepoll_connections_accepted_total", "Connections accepted.", m.connectionsAccepted());
        family("jepoll_rejected_requests_total", "counter", "Requests refused before a handler saw them, by status.");
        for (Map.Entry<Integer, Long> e : m.rejected().entrySet()) {
            sample("jepoll_rejected_requests_total", "status", e.getKey().toString(), Long.toString(e.getValue()));
        }
        family("jepoll_timeouts_total", "counter", "Deadlines that fired, by kind: idle, header, body, write.");
        for (Map.Entry<Metrics.Timeout, Long> e : m.timeouts().entrySet()) {
            sample("jepoll_timeouts_total", "kind", e.getKey().label(), Long.toString(e.getValue()));
        }
        family("jepoll_accept_pauses_total", "counter", "Times accepting paused, by cause: connection_limit, no_resources.");
        for (Map.Entry<Metrics.AcceptPause, Long> e : m.acceptPauses().entrySet()) {
            sample("jepoll_accept_pauses_total", "cause", e.getKey().label(), Long.toString(e.getValue()));
        }
        counter("jepoll_handler_errors_total", "Handler calls that threw or returned null (answered 500), and body writers that threw.", m.handlerErrors());
        counter("jepoll_access_log_dropped_total", "Access log lines dropped because its queue was full.", m.accessLogDropped());
        loops(m.loops(), previous == null ? List.of() : previous.loops());
    }

    private void loops(List<Metrics.LoopLoad> loops, List<Metrics.LoopLoad> before) throws IOException {
        if (loops.isEmpty()) return; // the blocking transports have no event loops
        family("jepoll_loop_busy_seconds_total", "counter", "Time each event loop spent working rather than waiting for events.");
        for (Metrics.LoopLoad l : loops) sample("jepoll_loop_busy_seconds_total", "loop", Integer.toString(l.loop()), seconds(l.busyNanos()));
        family("jepoll_loop_busy_ratio", "gauge", "Fraction of the time each event loop was busy, since the previous scrape (or its start).");
        for (Metrics.LoopLoad l : loops) {
            Metrics.LoopLoad earlier = l.loop() < before.size() ? before.get(l.loop()) : null;
            sample("jepoll_loop_busy_ratio", "loop", Integer.toString(l.loop()), decimal(l.busyRatioSince(earlier)));
        }
        family("jepoll_loop_connections_open", "gauge", "Connections open now on each event loop.");
        for (Metrics.LoopLoad l : loops) sample("jepoll_loop_connections_open", "loop", Integer.toString(l.loop()), Integer.toString(l.connections()));
    }

    private void histogram(String name, String help, Metrics.Histogram h) throws IOException {
        family(name, "histogram", help);
        List<Double> bounds = h.upperBounds();
        for (int i = 0; i < bounds.size(); i++) {
            sample(name + "_bucket", "le", decimal(bounds.get(i)), Long.toString(h.cumulativeCounts().get(i)));
        }
        sample(name + "_bucket", "le", "+Inf", Long.toString(h.count()));
        sample(name + "_sum", seconds(h.sumNanos()));
        sample(name + "_count", Long.toString(h.count()));
    }

    private void counter(String name, String help, long value) throws IOException {
        family(name, "counter", help);
        sample(name, Long.toString(value));
    }

    private void family(String name, String type, String help) throws IOException {
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String value) throws IOException {
        out.append(name).append(' ').append(value).append('\n');
    }

    private void sample(String name, String label, String labelValue, String value) throws IOException {
        out.append(name).append('{');
        label(label, labelValue);
        out.append("} ").append(value).append('\n');
    }

    private void sample(String name, String label1, String value1, String label2, String value2, String value) throws IOException {
        out.append(name).append('{');
        label(label1, value1);
        out.append(',');
        label(label2, value2);
        out.append("} ").append(value).append('\n');
    }

    private void label(String name, String value) throws IOException {
        out.append(name).append("=\"");
        escape(value, true);
        out.append('"');
    }

    /** The format's escapes: backslash and newline everywhere, the double quote in label values. */
    private void escape(String s, boolean quoted) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quoted ? "\\\"" : "\"");
                default -> out.append(ch);
            }
        }
    }

    /** Nanoseconds as seconds, exactly: 1500 is 0.0000015. */
    static String seconds(long nanos) { return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString(); }

    /** A double in plain notation, the shortest that reads back the same: 0.0001, 2.5, 10. */
    static String decimal(double d) { return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString(); }
}
