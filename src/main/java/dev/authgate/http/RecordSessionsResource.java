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

import dev.authgate.signin.AccountService;
import dev.authgate.account.AuthTable;
import dev.authgate.records.RecordService;
import dev.authgate.session.SessionDirectory;
import dev.authgate.session.SessionView;

/**
 * {@code /api:{group}/{table}/{id}/sessions}: administrators see and end a record's live sessions, under the
 * records API's rule (the group's administrators, tables it manages; others are 404).
 */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed("${authgate.admin-role}")
@AdminAssurance
public class RecordSessionsResource {

    private static final String SESSIONS = RecordsResource.TABLE + "/{id}/sessions";

    private final RecordService records;
    private final SessionDirectory directory;
    private final AccountService accounts;
    private final Caller caller;

    public RecordSessionsResource(RecordService records, SessionDirectory directory, AccountService accounts,
            Caller caller) {
        this.records = records;
        this.directory = directory;
        this.accounts = accounts;
        this.caller = caller;
    }

    @GET
    @Path(SESSIONS)
    public List<SessionView> list(@PathParam("table") String table,
            @PathParam("id") String id) {
        AuthTable t = caller.group().managed(table);
        long record = RecordsResource.existing(records, t, id);
        return directory.live(t.name(), record, caller.auth().jti());
    }

    /** Ends every session of the record (its tokens stop working at once, on every replica) and its mailed secrets. */
    @DELETE
    @Path(SESSIONS)
    public Revoked end(@PathParam("table") String table, @PathParam("id") String id) {
        AuthTable t = caller.group().managed(table);
        return new Revoked(accounts.signOutEverywhere(t.name(), RecordsResource.existing(records, t, id)));
    }
}
