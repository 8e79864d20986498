package io.jepoll.http;

/** Reason phrases for status lines (RFC 9110 §15). Unknown codes get a generic phrase per class. */
public final class Status {
    private Status() {}

    /**
     * The reason phrase for a status line.
     *
     * @param code a status code, 100 to 999
     * @return the phrase RFC 9110 gives it, or the class's generic one ("Client Error") for an unregistered code
     */
    public static String reason(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> switch (code / 100) {
                case 1 -> "Informational";
                case 2 -> "Success";
                case 3 -> "Redirection";
                case 4 -> "Client Error";
                default -> "Server Error";
            };
        };
    }

    /**
     * Responses to which RFC 9110 forbids content: 1xx, 204 and 304.
     *
     * @param code a status code
     * @return true when the response must have no body (and no Content-Length is sent)
     */
    public static boolean forbidsBody(int code) {
        return code < 200 || code == 204 || code == 304;
    }
}
