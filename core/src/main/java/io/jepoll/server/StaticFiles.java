package io.jepoll.server;

import io.jepoll.http.AcceptEncoding;
import io.jepoll.http.ByteRange;
import io.jepoll.http.ByteRanges;
import io.jepoll.http.EntityTag;
import io.jepoll.http.FileInfo;
import io.jepoll.http.FilePart;
import io.jepoll.http.HttpDate;
import io.jepoll.http.MediaTypes;
import io.jepoll.http.Preconditions;
import io.jepoll.http.RangeSet;
import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.http.TargetPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A handler that serves the files under one directory: GET and HEAD, validators and
 * conditional requests (RFC 9110 section 13), byte ranges (section 14), precompressed
 * siblings ({@code NAME.br}, {@code NAME.gz}), directory index and, when enabled, a
 * listing. The body leaves by sendfile on epoll ({@link Response#file}), straight from
 * the file the response's facts were taken from.
 *
 * <p>Nothing outside the root is ever reached: the path is decoded once and normalised by
 * {@link TargetPath}, dotfiles are hidden unless allowed, and unless
 * {@link Builder#followSymlinksOut} the real path of what is served must lie inside the
 * root. Every refusal looks like a missing file (404).
 *
 * <pre>{@code
 * HttpServer.builder().handler(StaticFiles.of(Path.of("site"))).start();
 * }</pre>
 */
public final class StaticFiles implements Handler {
    private static final List<String> CODINGS = List.of("br", "gzip");
    private static final Response NOT_FOUND = Response.text(404, "Not Found\n");
    private static final Response NOT_ALLOWED = Response.text(405, "Method Not Allowed\n").withHeader("Allow", "GET, HEAD");

    private final Path root;          // absolute, normalised
    private final Path realRoot;      // symlinks resolved, for the containment check
    private final String index;
    private final boolean listing, dotfiles, followSymlinksOut;
    private final String cacheControl; // null: no Cache-Control
    private final MediaTypes types;
    private final ByteRanges.Limits rangeLimits;

    private StaticFiles(Builder b) throws IOException {
        this.root = b.root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) throw new IOException("not a directory: " + root);
        this.realRoot = root.toRealPath();
        this.index = b.index;
        this.listing = b.listing;
        this.dotfiles = b.dotfiles;
        this.followSymlinksOut = b.followSymlinksOut;
        this.cacheControl = b.maxAgeSeconds < 0 ? null : "max-age=" + b.maxAgeSeconds;
        this.types = b.types;
        this.rangeLimits = ByteRanges.Limits.defaults();
    }

    /**
     * The directory with every option at its safe default.
     *
     * @param root the directory whose files are served; nothing outside it is
     * @return the handler
     * @throws IOException when the root is not a readable directory
     */
    public static StaticFiles of(Path root) throws IOException { return builder(root).build(); }

    /**
     * Options for serving root; each starts at its safe default.
     *
     * @param root the directory whose files are served, checked by {@link Builder#build()}
     * @return the builder
     */
    public static Builder builder(Path root) { return new Builder(root); }

    @Override
    public Response handle(Request req) {
        boolean get = req.isMethod("GET"), head = req.isMethod("HEAD");
        if (!get && !head) return NOT_ALLOWED;
        String path = TargetPath.decode(req.path());
        if (path == null) return NOT_FOUND;
        List<String> segments = TargetPath.segments(path);
        if (!dotfiles) for (String s : segments) if (s.startsWith(".")) return NOT_FOUND;
        Path file = root;
        for (String s : segments) file = file.resolve(s);
        if (!file.normalize().startsWith(root)) return NOT_FOUND; // belt and braces: TargetPath already refused ".."
        BasicFileAttributes attrs;
        try {
            // Not following links first: for the usual file (no link) this one call is both the
            // attributes and the last segment's link check.
            attrs = Files.readAttributes(file, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            boolean link = attrs.isSymbolicLink();
            if (link) attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!followSymlinksOut && (link ? !insideRoot(file) : parentLeavesRoot(segments))) return NOT_FOUND;
        } catch (IOException e) {
            return NOT_FOUND;
        }
        if (attrs.isDirectory()) return directory(req, path, file);
        // "/file/" names a directory that does not exist; and no devices, sockets or pipes.
        if (!attrs.isRegularFile() || path.endsWith("/")) return NOT_FOUND;
        return regularFile(req, file, file.getFileName().toString());
    }

    private Response directory(Request req, String path, Path dir) {
        if (!path.endsWith("/")) {
            // RFC 9110 15.4.2: the directory's own URI ends with a slash; keep the query, and a mount's prefix.
            String location = req.basePath() + DirectoryListing.href(path) + "/" + (req.query() == null ? "" : "?" + req.query());
            return Response.text(301, "Moved Permanently\n").withHeader("Location", location);
        }
        Path indexFile = dir.resolve(index);
        if (Files.isRegularFile(indexFile) && (followSymlinksOut || !Files.isSymbolicLink(indexFile) || insideRoot(indexFile))) {
            return regularFile(req, indexFile, index);
        }
        if (!listing) return NOT_FOUND;
        return DirectoryListing.render(dir, path, dotfiles);
    }

    /**
     * Whether a symlinked directory on the way leads outside the root. One lstat per directory
     * below the root (none for a file at the top), and a full toRealPath only when a link is
     * found: resolving every request's whole absolute path cost more than the rest of it.
     */
    private boolean parentLeavesRoot(List<String> segments) {
        Path p = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            p = p.resolve(segments.get(i));
            if (Files.isSymbolicLink(p)) return !insideRoot(p);
        }
        return false;
    }

    private boolean insideRoot(Path p) {
        try {
            return p.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    /** A file, or its precompressed sibling when the client accepts that coding. */
    private Response regularFile(Request req, Path file, String name) {
        String type = types.forFileName(name);
        String accept = joined(req, "Accept-Encoding");
        boolean hasSibling = false;
        Path chosen = file;
        String coding = null;
        List<String> available = new ArrayList<>(2);
        for (String c : CODINGS) {
            Path sibling = file.resolveSibling(name + (c.equals("br") ? ".br" : ".gz"));
            // Usually absent: one stat says so. Present: a symlink must not lead outside.
            if (Files.isRegularFile(sibling)
                    && (followSymlinksOut || !Files.isSymbolicLink(sibling) || insideRoot(sibling))) {
                available.add(c);
            }
        }
        if (!available.isEmpty()) {
            hasSibling = true; // the answer depends on Accept-Encoding: say so to caches, whatever is sent
            coding = AcceptEncoding.preferred(accept, available);
            if (coding != null) chosen = file.resolveSibling(name + (coding.equals("br") ? ".br" : ".gz"));
        }
        String contentEncoding = coding;
        boolean vary = hasSibling;
        boolean getOrHead = true;
        String ifMatch = joined(req, "If-Match"), ifNoneMatch = joined(req, "If-None-Match");
        String ifUnmodifiedSince = req.header("If-Unmodified-Since"), ifModifiedSince = req.header("If-Modified-Since");
        List<String> ranges = req.headers("Range");
        String range = ranges.size() == 1 ? ranges.get(0) : null; // several Range fields: invalid, ignored
        String ifRange = req.header("If-Range");
        boolean isGet = req.isMethod("GET");
        return Response.file(chosen, info -> answer(info, type, contentEncoding, vary, getOrHead, isGet,
                ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, range, ifRange));
    }

    /** Decided once the file is open, from its own facts. */
    private Response answer(FileInfo info, String type, String contentEncoding, boolean vary, boolean getOrHead, boolean isGet,
                            String ifMatch, String ifUnmodifiedSince, String ifNoneMatch, String ifModifiedSince,
                            String range, String ifRange) {
        EntityTag etag = EntityTag.forFile(info.size(), info.mtimeSeconds(), info.mtimeNanos(), info.inode());
        String lastModified = HttpDate.format(info.mtimeSeconds());
        switch (Preconditions.evaluate(getOrHead, ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, etag, info.mtimeSeconds())) {
            case NOT_MODIFIED -> {
                // RFC 9110 15.4.5: the fields a 200 would have carried that describe the representation.
                return validators(Response.of(304), etag, lastModified, vary);
            }
            case PRECONDITION_FAILED -> {
                return Response.text(412, "Precondition Failed\n");
            }
            case PROCEED -> { }
        }
        long length = info.size();
        Response r;
        if (isGet && range != null && ByteRanges.ifRangeAllows(ifRange, etag, info.mtimeSeconds())) {
            r = switch (ByteRanges.parse(range, length, rangeLimits)) {
                case RangeSet.Ignore ignore -> whole(length);
                case RangeSet.Unsatisfiable u ->
                        Response.text(416, "Range Not Satisfiable\n").withHeader("Content-Range", u.contentRange(length));
                case RangeSet.Satisfiable s when s.single() -> {
                    ByteRange one = s.ranges().get(0);
                    yield Response.fileParts(206, List.of(new FilePart.Region(one.first(), one.length())))
                            .withHeader("Content-Range", one.contentRange(length));
                }
                case RangeSet.Satisfiable s -> MultipartRanges.of(s.ranges(), length, type);
            };
            if (r.status() == 416) return r;
            if (r.status() == 206 && r.fileParts().size() > 1) { // multipart: its own Content-Type, set by MultipartRanges
                return representation(r, null, contentEncoding, etag, lastModified, vary);
            }
        } else {
            r = whole(length);
        }
        return representation(r, type, contentEncoding, etag, lastModified, vary);
    }

    private static Response whole(long length) {
        return Response.fileParts(200, length == 0 ? List.of() : List.of(new FilePart.Region(0, length)));
    }

    private Response representation(Response r, String type, String contentEncoding, EntityTag etag, String lastModified, boolean vary) {
        if (type != null) r = r.withHeader("Content-Type", type);
        if (contentEncoding != null) r = r.withHeader("Content-Encoding", contentEncoding);
        return validators(r.withHeader("Accept-Ranges", "bytes"), etag, lastModified, vary);
    }

    private Response validators(Response r, EntityTag etag, String lastModified, boolean vary) {
        r = r.withHeader("ETag", etag.header()).withHeader("Last-Modified", lastModified);
        if (cacheControl != null) r = r.withHeader("Cache-Control", cacheControl);
        if (vary) r = r.withHeader("Vary", "Accept-Encoding");
        return r;
    }

    /** A list-valued field sent as several lines is one comma-separated list (RFC 9110 5.3). */
    private static String joined(Request req, String name) {
        List<String> values = req.headers(name);
        if (values.isEmpty()) return null;
        return values.size() == 1 ? values.get(0) : String.join(", ", values);
    }

    /** Options, each with a safe default. */
    public static final class Builder {
        private final Path root;
        private String index = "index.html";
        private boolean listing, dotfiles, followSymlinksOut;
        private long maxAgeSeconds = -1;
        private MediaTypes types = MediaTypes.defaults();

        private Builder(Path root) { this.root = root; }

        /**
         * The file served for a directory's own URI ("/dir/"); default index.html.
         *
         * @param name a plain file name: no '/', not starting with '.'
         * @return this builder
         * @throws IllegalArgumentException when name is not a plain file name
         */
        public Builder index(String name) {
            if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new IllegalArgumentException("index must be a plain file name: " + name);
            }
            this.index = name;
            return this;
        }

        /**
         * List a directory that has no index file (off: 404).
         *
         * @param on true to answer such a directory with an HTML list of its entries
         * @return this builder
         */
        public Builder listing(boolean on) { this.listing = on; return this; }

        /**
         * Serve names starting with "." (off: they are not found).
         *
         * @param on true to serve .git, .env and the like too
         * @return this builder
         */
        public Builder dotfiles(boolean on) { this.dotfiles = on; return this; }

        /**
         * Follow symlinks whose target lies outside the root (off: such files are not found).
         *
         * @param on true to serve what such links point to
         * @return this builder
         */
        public Builder followSymlinksOut(boolean on) { this.followSymlinksOut = on; return this; }

        /**
         * Cache-Control: max-age=N on every file response (default: no Cache-Control).
         *
         * @param seconds how long a cache may reuse a response without asking again, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException when seconds is negative
         */
        public Builder maxAge(long seconds) {
            if (seconds < 0) throw new IllegalArgumentException("max-age must be >= 0");
            this.maxAgeSeconds = seconds;
            return this;
        }

        /**
         * The extension → Content-Type table (default: {@link MediaTypes#defaults()}).
         *
         * @param types the table, such as the defaults {@link MediaTypes#withType with} a type of the site's own
         * @return this builder
         */
        public Builder mediaTypes(MediaTypes types) { this.types = types; return this; }

        /**
         * Checks the root and makes the handler.
         *
         * @return the handler, immutable and shared by every loop
         * @throws IOException when the root is not a readable directory
         */
        public StaticFiles build() throws IOException { return new StaticFiles(this); }
    }
}
