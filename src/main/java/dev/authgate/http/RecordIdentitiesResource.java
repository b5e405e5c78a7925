package dev.authgate.http;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;

import dev.authgate.account.AuthTable;
import dev.authgate.federation.Federation;
import dev.authgate.federation.Identity;
import dev.authgate.records.RecordService;

/**
 * {@code /api:{group}/{table}/{id}/identities}: administrators see a record's linked provider identities and unlink
 * one (a person who lost that account at the provider), under the records API's rule; never the record's last way
 * to sign in, as for its owner.
 */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed("${authgate.admin-role}")
@AdminAssurance
@SecurityRequirement(name = ApiDocument.BEARER)
@SecurityRequirement(name = ApiDocument.ALTERNATIVE)
@APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
public class RecordIdentitiesResource {

    private static final String IDENTITIES = RecordsResource.TABLE + "/{id}/identities";
    private static final Logger LOG = Logger.getLogger(RecordIdentitiesResource.class);

    private final RecordService records;
    private final Federation federation;
    private final Caller caller;

    public RecordIdentitiesResource(RecordService records, Federation federation, Caller caller) {
        this.records = records;
        this.federation = federation;
        this.caller = caller;
    }

    @GET
    @Path(IDENTITIES)
    @Operation(summary = "A record's identities at upstream providers")
    @APIResponse(responseCode = "200", description = "[{id, provider, subject, email, email_verified, created_at}]")
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "Not an administrator.")
    public List<Identity> list(@PathParam("table") String table, @PathParam("id") String id) {
        AuthTable t = caller.group().managed(table);
        return federation.identities(t.name(), RecordsResource.existing(records, t, id));
    }

    @DELETE
    @Path(IDENTITIES + "/{identity}")
    @Operation(summary = "Unlink one of a record's identities (refused when it is the record's last way to sign in)")
    @APIResponse(responseCode = "200", description = "{\"unlinked\": true}")
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED,
            description = "Not an administrator, or the record's last way to sign in.")
    public FederationResource.Unlinked unlink(@PathParam("table") String table, @PathParam("id") String id,
            @PathParam("identity") String identity) {
        AuthTable t = caller.group().managed(table);
        long record = RecordsResource.existing(records, t, id);
        long identityId = FederationResource.identityId(identity);
        federation.unlink(t, record, identityId);
        LOG.infof("identity %d of %s id=%d unlinked by %s:%d", identityId, t.name(), record, caller.auth().dbtable(),
                caller.auth().id());
        return new FederationResource.Unlinked(true);
    }
}
