package dev.authgate.http.console;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import dev.authgate.events.AuditEvent;
import dev.authgate.events.Deliverer;
import dev.authgate.failure.Failure;
import dev.authgate.http.RecordsResource;
import dev.authgate.records.AuditLog;

/**
 * The audit trail of a group's tables (every event, or one record's history, with the API's filters and paging) and
 * the webhook deliveries given up on, with "retry". Reads through the same services as {@code GET /api:G/audit}.
 */
@Path(ConsoleRequest.PATH + "/{group}")
@ConsoleEndpoint
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    static final java.util.List<String> EVENTS = java.util.Arrays.stream(AuditEvent.values()).map(AuditEvent::wire)
            .toList();
    private static final Logger LOG = Logger.getLogger(AuditPages.class);

    private final ConsoleRequest console;
    private final AuditLog log;
    private final Deliverer deliverer;

    public AuditPages(ConsoleRequest console, AuditLog log, Deliverer deliverer) {
        this.console = console;
        this.log = log;
        this.deliverer = deliverer;
    }

    /** Filters as the API takes them; a wrong one is shown as the API's message. */
    public record Filters(String table, String id, String event, String since) {
        String query() {
            return "table=" + Pages.query(table) + "&id=" + Pages.query(id) + "&event=" + Pages.query(event)
                    + "&since=" + Pages.query(since);
        }
    }

    @GET
    @Path("audit")
    @Operation(hidden = true)
    public Response feed(@PathParam("group") String group, @QueryParam("table") String table,
            @QueryParam("id") String id, @QueryParam("event") String event, @QueryParam("since") String since,
            @QueryParam("page") @DefaultValue("1") String page) {
        return console.asAdmin(group, admin -> {
            if (table != null && !table.isBlank()) {
                admin.managed(table.strip());
            }
            var filters = new Filters(table, id, event, since);
            var found = log.page(AuditLog.Filter.of(admin.tables(), table, id, event, since),
                    RecordsResource.number("page", page), RecordPages.PER_PAGE);
            return console.html(200, Pages.audit(console.frame(admin, "Audit", "audit"), filters, filters.query(),
                    EVENTS, found));
        });
    }

    @GET
    @Path("deliveries")
    @Operation(hidden = true)
    public Response deliveries(@PathParam("group") String group, @QueryParam("notice") String notice) {
        return console.asAdmin(group, admin -> console.html(200, Pages.deliveries(
                console.frame(admin, "Failed deliveries", "deliveries"), deliverer.failed(admin.tables()),
                "retried".equals(notice) ? "Queued again: it is delivered within seconds if the receiver answers."
                        : null)));
    }

    @POST
    @Path("deliveries/{id}/retry")
    @Operation(hidden = true)
    public Response retry(@PathParam("group") String group, @PathParam("id") String id) {
        return console.asAdmin(group, admin -> {
            if (!deliverer.retry(RecordsResource.id(id), admin.tables())) {
                throw Failure.notFound("No such failed delivery: it may have been retried already.");
            }
            LOG.infof("console: %s retried webhook delivery %s", admin.who(), id);
            return console.redirect(ConsoleRequest.PATH + "/" + group + "/deliveries?notice=retried");
        });
    }
}
