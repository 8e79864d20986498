package io.jepoll.server;

import io.jepoll.http.HttpDate;
import io.jepoll.http.Response;
import io.jepoll.http.TargetPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The HTML page for a directory without an index file: names sorted, sizes and dates;
 * every name HTML-escaped in text and percent-encoded in links, so a file called
 * {@code <script>} or {@code a"b} shows as itself and links to itself.
 */
final class DirectoryListing {
    private DirectoryListing() {}

    /** Entries shown at most: a directory of a million files must not become a 100 MB page. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(String name, boolean dir, long size, long mtimeSeconds) {}

    static Response render(Path dir, String path, boolean dotfiles) {
        List<Entry> entries = new ArrayList<>();
        int more = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (!dotfiles && name.startsWith(".")) continue;
                if (entries.size() >= MAX_ENTRIES) {
                    more++;
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    entries.add(new Entry(name, a.isDirectory(), a.size(), a.lastModifiedTime().toMillis() / 1000));
                } catch (IOException gone) {
                    // removed while we listed: not shown
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return Response.text(404, "Not Found\n");
        }
        entries.sort((x, y) -> x.name.compareTo(y.name));
        String title = "Index of " + TargetPath.escapeHtml(path);
        StringBuilder html = new StringBuilder(256 + entries.size() * 128);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title></head>\n<body><h1>").append(title).append("</h1>\n<table>\n");
        if (!path.equals("/")) html.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        for (Entry e : entries) {
            String shown = TargetPath.escapeHtml(e.name) + (e.dir ? "/" : "");
            html.append("<tr><td><a href=\"").append(TargetPath.encodeSegment(e.name)).append(e.dir ? "/" : "").append("\">")
                    .append(shown).append("</a></td><td>").append(e.dir ? "-" : Long.toString(e.size))
                    .append("</td><td>").append(HttpDate.format(e.mtimeSeconds)).append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (more > 0) html.append("<p>").append(more).append(" more entries not shown</p>\n");
        html.append("</body></html>\n");
        return Response.bytes(200, "text/html; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8))
                .withHeader("Cache-Control", "no-cache");
    }

    /** A decoded path as it goes into a Location or an href: each segment percent-encoded. */
    static String href(String decodedPath) {
        StringBuilder b = new StringBuilder(decodedPath.length() + 16);
        for (String s : TargetPath.segments(decodedPath)) b.append('/').append(TargetPath.encodeSegment(s));
        return b.length() == 0 ? "/" : b.toString();
    }
}
