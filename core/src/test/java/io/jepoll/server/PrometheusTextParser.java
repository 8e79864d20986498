package io.jepoll.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for the tests: every line must be a {@code # HELP}, a
 * {@code # TYPE} or a sample of a family declared before it (a histogram's {@code _bucket}, {@code _sum} and
 * {@code _count} belong to it), with well-formed, escaped labels and a number. It returns the samples by their
 * name and labels as written ({@code name{a="b"}}); anything else fails with the line.
 */
final class PrometheusTextParser {
    private PrometheusTextParser() {}

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) throw new AssertionError("the text must end with a newline");
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) continue;
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) throw new AssertionError("second TYPE for " + m.group(1));
                continue;
            }
            if (!(m = SAMPLE.matcher(line)).matches()) throw new AssertionError("not a sample line: " + line);
            String name = m.group(1);
            String family = familyOf(name, types);
            if (family == null) throw new AssertionError("sample before its TYPE: " + line);
            if (types.get(family).equals("counter") && !name.endsWith("_total")) throw new AssertionError("counter without _total: " + line);
            if (m.group(3) != null) checkLabels(m.group(3), line);
            String value = m.group(4);
            double v = value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
            if (samples.put(name + (m.group(2) == null ? "" : m.group(2)), v) != null) throw new AssertionError("sample twice: " + line);
        }
        return samples;
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) return name;
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String f = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(f))) return f;
            }
        }
        return null;
    }

    private static void checkLabels(String labels, String line) {
        Matcher l = LABEL.matcher(labels);
        int at = 0;
        while (at < labels.length()) {
            if (!l.find(at) || l.start() != at) throw new AssertionError("bad labels in: " + line);
            at = l.end();
        }
    }

    /** The samples of one family: their label part (or "") to the value. */
    static Map<String, Double> family(Map<String, Double> samples, String name) {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.forEach((k, v) -> {
            if (k.equals(name) || k.startsWith(name + "{")) out.put(k.substring(name.length()), v);
        });
        return out;
    }

    /** promtool's path, or null when it is not installed (Debian: apt-get install prometheus). */
    static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** What promtool said: its exit code and its output (lint problems, one a line). */
    record Checked(int exitCode, String output) {}

    /** Runs {@code promtool check metrics} on the text. */
    static Checked promtoolCheck(String promtool, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish");
        }
        return new Checked(p.exitValue(), out);
    }
}
