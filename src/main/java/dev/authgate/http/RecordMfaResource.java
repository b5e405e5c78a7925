package dev.authgate.http;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;

import dev.authgate.account.AuthTable;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.records.RecordService;

/**
 * {@code DELETE /api:{group}/{table}/{id}/mfa}: administrators reset a record's second factors (a person who lost
 * their phone and their recovery codes), under the records API's rule. Its sessions end with them.
 */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed("${authgate.admin-role}")
@AdminAssurance
@SecurityRequirement(name = ApiDocument.BEARER)
@SecurityRequirement(name = ApiDocument.ALTERNATIVE)
@APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED,
        description = "Not an administrator (or, with authgate.admin-aal=2, a token of aal 1).")
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
public class RecordMfaResource {

    private static final Logger LOG = Logger.getLogger(RecordMfaResource.class);

    private final RecordService records;
    private final SecondFactors factors;
    private final Caller caller;

    public RecordMfaResource(RecordService records, SecondFactors factors, Caller caller) {
        this.records = records;
        this.factors = factors;
        this.caller = caller;
    }

    @DELETE
    @Path(RecordsResource.TABLE + "/{id}/mfa")
    @Operation(summary = "Reset a record's second factors: every factor, recovery code and waiting login; its sessions end")
    @APIResponse(responseCode = "200", description = "reset, and how many sessions ended (revoked)")
    public MfaAnswers.Reset reset(@PathParam("table") String table, @PathParam("id") String id) {
        AuthTable t = caller.group().managed(table);
        long record = RecordsResource.existing(records, t, id);
        long revoked = factors.reset(t, record);
        LOG.infof("second factors reset by %s:%d: table=%s id=%d sessions ended=%d", caller.auth().dbtable(),
                caller.auth().id(), t.name(), record, revoked);
        return new MfaAnswers.Reset(true, revoked);
    }
}
