package io.jepoll.server;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR's record of one exchange, as the access log has it: committed on the thread that served it (an event loop,
 * or the connection's thread), when the response was handed over. Off unless a recording enables
 * {@code jepoll.Request}: under load there is one per request.
 */
@Name("jepoll.Request")
@Label("HTTP Request")
@Category({"jepoll", "HTTP"})
@Description("One HTTP exchange: a response handed to a connection (a streamed body: its end), or a request refused")
@Enabled(false)
@StackTrace(false)
final class RequestEvent extends Event {
    @Label("Method")
    @Description("Null when the request was refused before its head was complete")
    String method;

    @Label("Target")
    String target;

    @Label("Status")
    int status;

    @Label("Body Bytes")
    @DataAmount
    long bytes;

    @Label("Request Duration")
    @Description("From the start of the loop's turn that read the request (a thread per connection: the complete request) to the response handed over; 0 for a refusal")
    @Timespan(Timespan.NANOSECONDS)
    long requestDuration;

    @Label("Refused")
    @Description("Refused before a handler saw it (400, 408, 413, 414, 417, 431, 501, 505)")
    boolean refused;

    @Label("Client")
    String remote;

    @Label("Event Loop")
    @Description("The index of the event loop that served it; -1 for a thread per connection")
    int loop;
}
