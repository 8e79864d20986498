package io.jepoll.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * File extension to Content-Type (RFC 9110 §8.3), for serving files. Immutable: {@link #withType} returns a new
 * table, so one can be shared by every connection without locks.
 *
 * <p>Choices in the built-in table:
 * <ul>
 *   <li>Text gets {@code charset=utf-8}: every text/* type, JavaScript, JSON, and the XML family (xml, xhtml,
 *       svg, rss, atom). Without it a browser guesses (windows-1252 for text/plain); with it, UTF-8 files, the
 *       web's default, are right. A byte order mark still wins over the parameter (WHATWG Encoding, RFC 7303
 *       §3.2), so UTF-16 files with a BOM stay readable. A site with other encodings overrides the type.
 *       JSON defines no charset parameter (RFC 8259 §11) and is always UTF-8; sending one is harmless and is
 *       what most servers do.</li>
 *   <li>js and mjs are {@code text/javascript} (RFC 9239 made it the one type, application/javascript
 *       obsolete). map (source maps) is JSON.</li>
 *   <li>ico is {@code image/vnd.microsoft.icon}: the type registered with IANA (2003). {@code image/x-icon} is
 *       older and common (nginx's mime.types), but x- names are deprecated (RFC 6648), and every current
 *       browser takes either for a favicon, so the registered one it is.</li>
 *   <li>gz and tgz are {@code application/gzip} (RFC 6713): a .gz file asked for as such is sent as itself;
 *       choosing foo.js.gz for foo.js is the caller's business (Content-Encoding, {@link AcceptEncoding}).</li>
 *   <li>Unknown, missing and over-long extensions are {@link #DEFAULT_TYPE}: {@code application/octet-stream}
 *       makes a browser download rather than render (and never sniff into HTML, with nosniff).</li>
 * </ul>
 *
 * <p>The extension is what follows the last '.' of the last path segment, ASCII case-insensitive, and only if
 * the dot is not the segment's first char: {@code .bashrc} has none, {@code a.tar.gz} has "gz".
 */
public final class MediaTypes {

    /** The type of a file whose extension is unknown: a browser downloads it rather than rendering it. */
    public static final String DEFAULT_TYPE = "application/octet-stream";

    /** Longer extensions are not looked up (and cannot be registered). */
    public static final int MAX_EXTENSION_LENGTH = 16;

    /** Longer content types cannot be registered. */
    public static final int MAX_CONTENT_TYPE_LENGTH = 256;

    private static final String UTF8 = "; charset=utf-8";
    private static final MediaTypes DEFAULTS = new MediaTypes(builtIn());

    private final Map<String, String> byExtension;

    private MediaTypes(Map<String, String> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    /** {@return the built-in table (see the class comment), one shared instance} */
    public static MediaTypes defaults() {
        return DEFAULTS;
    }

    /**
     * This table plus (or with a replaced) {@code extension} → {@code contentType}, sent as given.
     *
     * @param extension   without the dot, 1..16 tchars other than '.'; stored in lower case
     * @param contentType a media-type as §8.3.1 defines it ({@code type/subtype *( OWS ";" OWS parameter )}), at
     *                    most 256 chars, so it is also a valid field value (no CR, LF, NUL)
     * @return a new table; this one is unchanged
     * @throws IllegalArgumentException when either is not valid
     */
    public MediaTypes withType(String extension, String contentType) {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(contentType, "contentType");
        if (!isExtension(extension)) {
            throw new IllegalArgumentException("not a file extension: " + extension);
        }
        if (!isMediaType(contentType)) {
            throw new IllegalArgumentException("not a media type: " + contentType);
        }
        Map<String, String> copy = new HashMap<>(byExtension);
        copy.put(FieldChars.lowerAscii(extension, 0, extension.length()), contentType);
        return new MediaTypes(copy);
    }

    /**
     * The Content-Type for a file name or path (see the class comment for what its extension is).
     *
     * @param name a file name, or a path whose last segment is one
     * @return the type, {@link #DEFAULT_TYPE} when the extension is unknown or there is none
     */
    public String forFileName(String name) {
        Objects.requireNonNull(name, "name");
        int segment = name.lastIndexOf('/') + 1;
        int dot = name.lastIndexOf('.');
        if (dot <= segment || name.length() - dot - 1 > MAX_EXTENSION_LENGTH) {
            return DEFAULT_TYPE;
        }
        return lookUp(name, dot + 1, name.length());
    }

    /**
     * The Content-Type for an extension.
     *
     * @param extension without its dot, case-insensitive
     * @return the type, {@link #DEFAULT_TYPE} when the extension is unknown
     */
    public String forExtension(String extension) {
        Objects.requireNonNull(extension, "extension");
        return extension.length() > MAX_EXTENSION_LENGTH ? DEFAULT_TYPE
                : lookUp(extension, 0, extension.length());
    }

    private String lookUp(String s, int from, int to) {
        if (from == to) {
            return DEFAULT_TYPE;
        }
        String type = byExtension.get(FieldChars.lowerAscii(s, from, to));
        return type == null ? DEFAULT_TYPE : type;
    }

    static boolean isExtension(String e) {
        if (e.isEmpty() || e.length() > MAX_EXTENSION_LENGTH) {
            return false;
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '.' || !FieldChars.isTokenChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** media-type = type "/" subtype parameters (§8.3.1); parameter values are tokens or quoted-strings. */
    static boolean isMediaType(String s) {
        int n = s.length();
        if (n > MAX_CONTENT_TYPE_LENGTH) {
            return false;
        }
        int p = tokenEnd(s, 0);
        if (p == 0 || p == n || s.charAt(p) != '/') {
            return false;
        }
        int subtypeEnd = tokenEnd(s, p + 1);
        if (subtypeEnd == p + 1) {
            return false;
        }
        p = subtypeEnd;
        // parameters = *( OWS ";" OWS [ parameter ] )
        while (p < n) {
            p = FieldChars.skipOws(s, p, n);
            if (p == n || s.charAt(p) != ';') {
                return false;
            }
            p = FieldChars.skipOws(s, p + 1, n);
            if (p == n || s.charAt(p) == ';') {
                continue;
            }
            int nameEnd = tokenEnd(s, p);
            if (nameEnd == p || nameEnd == n || s.charAt(nameEnd) != '=') {
                return false;
            }
            p = nameEnd + 1;
            if (p < n && s.charAt(p) == '"') {
                p = quotedStringEnd(s, p);
                if (p < 0) {
                    return false;
                }
            } else {
                int valueEnd = tokenEnd(s, p);
                if (valueEnd == p) {
                    return false;
                }
                p = valueEnd;
            }
        }
        // A field value has no trailing whitespace (§5.5); the loop above would have accepted "a/b; ".
        return !FieldChars.isOws(s.charAt(n - 1));
    }

    private static int tokenEnd(String s, int from) {
        int p = from;
        while (p < s.length() && FieldChars.isTokenChar(s.charAt(p))) {
            p++;
        }
        return p;
    }

    /** End (past the closing DQUOTE) of the quoted-string at from (§5.6.4), or -1. */
    private static int quotedStringEnd(String s, int from) {
        for (int p = from + 1; p < s.length(); p++) {
            char c = s.charAt(p);
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\') {
                p++;
                if (p == s.length() || !FieldChars.isFieldValueChar(s.charAt(p))) {
                    return -1;
                }
            } else if (!FieldChars.isQdText(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static Map<String, String> builtIn() {
        Map<String, String> m = new HashMap<>();
        // text and markup (charset: see the class comment)
        m.put("html", "text/html" + UTF8);
        m.put("htm", "text/html" + UTF8);
        m.put("css", "text/css" + UTF8);
        m.put("js", "text/javascript" + UTF8);
        m.put("mjs", "text/javascript" + UTF8);
        m.put("txt", "text/plain" + UTF8);
        m.put("md", "text/markdown" + UTF8); // RFC 7763 makes charset required
        m.put("markdown", "text/markdown" + UTF8);
        m.put("csv", "text/csv" + UTF8);
        m.put("tsv", "text/tab-separated-values" + UTF8);
        m.put("ics", "text/calendar" + UTF8);
        m.put("vtt", "text/vtt" + UTF8);
        m.put("json", "application/json" + UTF8);
        m.put("map", "application/json" + UTF8);
        m.put("jsonld", "application/ld+json" + UTF8);
        m.put("webmanifest", "application/manifest+json" + UTF8);
        m.put("xml", "application/xml" + UTF8);
        m.put("xhtml", "application/xhtml+xml" + UTF8);
        m.put("rss", "application/rss+xml" + UTF8);
        m.put("atom", "application/atom+xml" + UTF8);
        m.put("svg", "image/svg+xml" + UTF8);
        // images
        m.put("png", "image/png");
        m.put("apng", "image/apng");
        m.put("jpg", "image/jpeg");
        m.put("jpeg", "image/jpeg");
        m.put("gif", "image/gif");
        m.put("webp", "image/webp");
        m.put("avif", "image/avif");
        m.put("jxl", "image/jxl");
        m.put("bmp", "image/bmp");
        m.put("tif", "image/tiff");
        m.put("tiff", "image/tiff");
        m.put("ico", "image/vnd.microsoft.icon");
        // fonts (RFC 8081)
        m.put("woff", "font/woff");
        m.put("woff2", "font/woff2");
        m.put("ttf", "font/ttf");
        m.put("otf", "font/otf");
        // audio and video
        m.put("mp3", "audio/mpeg");
        m.put("wav", "audio/wav");
        m.put("flac", "audio/flac");
        m.put("aac", "audio/aac");
        m.put("m4a", "audio/mp4");
        m.put("ogg", "audio/ogg"); // RFC 5334: .ogg is audio
        m.put("oga", "audio/ogg");
        m.put("opus", "audio/ogg");
        m.put("mp4", "video/mp4");
        m.put("m4v", "video/mp4");
        m.put("webm", "video/webm");
        m.put("ogv", "video/ogg");
        m.put("mov", "video/quicktime");
        // applications and archives
        m.put("wasm", "application/wasm");
        m.put("pdf", "application/pdf");
        m.put("epub", "application/epub+zip");
        m.put("zip", "application/zip");
        m.put("gz", "application/gzip");
        m.put("tgz", "application/gzip");
        m.put("tar", "application/x-tar");
        m.put("bz2", "application/x-bzip2");
        m.put("xz", "application/x-xz");
        m.put("zst", "application/zstd");
        m.put("7z", "application/x-7z-compressed");
        return m;
    }
}
