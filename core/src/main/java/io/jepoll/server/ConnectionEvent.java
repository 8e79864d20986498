package io.jepoll.server;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR's record of a connection accepted or closed, committed on the thread that did it. Off unless a recording
 * enables {@code jepoll.Connection}.
 */
@Name("jepoll.Connection")
@Label("Connection")
@Category({"jepoll", "HTTP"})
@Description("A TCP connection accepted or closed by the server")
@Enabled(false)
@StackTrace(false)
final class ConnectionEvent extends Event {
    @Label("Action")
    @Description("accepted or closed")
    String action;

    @Label("Remote")
    @Description("The peer's address and port (the balancer's, behind a PROXY protocol one); null once it reset")
    String remote;

    @Label("Why")
    @Description("Why it closed, as --trace says it; null when accepted")
    String why;

    @Label("Event Loop")
    @Description("The index of the event loop; -1 for a thread per connection")
    int loop;
}
