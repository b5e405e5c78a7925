package dev.authgate.session;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;

import dev.authgate.account.AuthTable;
import dev.authgate.account.RecordService;
import dev.authgate.http.ApiException;
import dev.authgate.http.ApiGroup;
import dev.authgate.http.ApiGroups;
import dev.authgate.http.RecordsResource;
import dev.authgate.http.Revoked;
import dev.authgate.security.TokenIdentityProvider;
import dev.authgate.token.Auth;
import dev.authgate.token.Sessions;

/**
 * {@code /api:{group}/{table}/{id}/sessions}: administrators see and end a record's live sessions, under the
 * records API's rule (the group's administrators, tables it manages; others are 404).
 */
@Path(ApiGroups.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed("${authgate.admin-role}")
public class RecordSessionsResource {

    private static final String SESSIONS = RecordsResource.TABLE + "/{id}/sessions";

    private final RecordService records;
    private final SessionDirectory directory;
    private final Sessions sessions;
    private final SecurityIdentity identity;

    public RecordSessionsResource(RecordService records, SessionDirectory directory, Sessions sessions,
            SecurityIdentity identity) {
        this.records = records;
        this.directory = directory;
        this.sessions = sessions;
        this.identity = identity;
    }

    @GET
    @Path(SESSIONS)
    public List<SessionView> list(@PathParam("api") ApiGroup group, @PathParam("table") String table,
            @PathParam("id") String id) {
        AuthTable t = group.managed(table);
        long record = existing(t, id);
        Auth caller = identity.getAttribute(TokenIdentityProvider.AUTH);
        return directory.live(t.name(), record, caller.jti());
    }

    /** Ends every session of the record (its tokens stop working at once, on every replica). */
    @DELETE
    @Path(SESSIONS)
    public Revoked end(@PathParam("api") ApiGroup group, @PathParam("table") String table, @PathParam("id") String id) {
        AuthTable t = group.managed(table);
        return new Revoked(sessions.revokeAll(t.name(), existing(t, id)));
    }

    /** The record's id, when the record exists: else 404, as the records API answers. */
    private long existing(AuthTable table, String id) {
        long record;
        try {
            record = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Record not found.");
        }
        records.get(table, record);
        return record;
    }
}
