package dev.authgate.http;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.authgate.events.AuditEntry;
import dev.authgate.records.AuditLog;
import dev.authgate.records.RecordPage;

/**
 * {@code GET /api:{group}/audit}: the audit trail of the tables the group manages, newest first, in the records API's
 * paging and under its rule (the group's administrators).
 */
@Path(GroupPath.PATH + "/audit")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed("${authgate.admin-role}")
@AdminAssurance
@SecurityRequirement(name = ApiDocument.BEARER)
@SecurityRequirement(name = ApiDocument.ALTERNATIVE)
@APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "Not an administrator.")
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
public class AuditResource {

    private final AuditLog log;
    private final Caller caller;

    public AuditResource(AuditLog log, Caller caller) {
        this.log = log;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "A page of audit events, newest first; filters: table, id (with table), event, since")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public RecordPage<AuditEntry> list(@QueryParam("table") String table, @QueryParam("id") String id,
            @QueryParam("event") String event, @QueryParam("since") String since,
            @QueryParam("page") @DefaultValue("1") String page,
            @QueryParam("per_page") @DefaultValue("25") String perPage) {
        var group = caller.group();
        if (table != null && !table.isBlank()) {
            group.managed(table.strip()); // a table the group does not manage is a 404, as in the records API
        }
        return log.page(AuditLog.Filter.of(group.manages().stream().map(t -> t.name()).toList(), table, id, event,
                since), RecordsResource.number("page", page), RecordsResource.number("per_page", perPage));
    }
}
