package dev.authgate.http;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.account.RecordChanges;
import dev.authgate.records.RecordPage;
import dev.authgate.records.RecordService;
import dev.authgate.failure.Failure;
import dev.authgate.http.Caller;

/**
 * {@code /api:{group}/{table}}: Xano-style CRUD on the records of an auth table, for administrators of a group
 * whose {@code authgate.groups.<group>.manages} lists the table. Other tables are 404.
 */
@Path(GroupPath.PATH)
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
public class RecordsResource {

    /** A table name; never {@code auth}, so a wrong method on an auth endpoint stays a 404. */
    public static final String TABLE = "{table:(?!auth\\b)[A-Za-z0-9_]+}";

    private final RecordService records;
    private final Caller caller;

    public RecordsResource(RecordService records, Caller caller) {
        this.records = records;
        this.caller = caller;
    }

    @GET
    @Path(TABLE)
    @Operation(summary = "A page of records, by id (Xano paging); search: a part of the email or name")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public RecordPage<AccountView> list(@PathParam("table") String table, @QueryParam("page") @DefaultValue("1") String page,
            @QueryParam("per_page") @DefaultValue("25") String perPage, @QueryParam("search") String search) {
        return records.list(managed(table), search, number("page", page), number("per_page", perPage));
    }

    @GET
    @Path(TABLE + "/{id}")
    @Operation(summary = "One record")
    @APIResponse(responseCode = "200", description = "The record")
    public AccountView get(@PathParam("table") String table, @PathParam("id") String id) {
        return records.get(managed(table), id(id));
    }

    @POST
    @Path(TABLE)
    @Operation(summary = "Create a record: name, email and password required; role and extras optional")
    @APIResponse(responseCode = "200", description = "The new record")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    public AccountView create(@PathParam("table") String table, @Valid RecordChanges body) {
        return records.create(managed(table), body);
    }

    @PATCH
    @Path(TABLE + "/{id}")
    @Operation(summary = "Change a record; a new password, role or extras ends its tokens")
    @APIResponse(responseCode = "200", description = "The changed record")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    public AccountView update(@PathParam("table") String table, @PathParam("id") String id,
            @Valid RecordChanges body) {
        return records.update(managed(table), id(id), body);
    }

    /** Answers 200 {@code null}, as Xano's delete does; the record's tokens end with it. */
    @DELETE
    @Path(TABLE + "/{id}")
    @Operation(summary = "Delete a record; its tokens end")
    @APIResponse(responseCode = "200", description = "null, as Xano answers")
    public Response delete(@PathParam("table") String table, @PathParam("id") String id) {
        records.delete(managed(table), id(id));
        return Response.ok("null", MediaType.APPLICATION_JSON).build();
    }

    private AuthTable managed(String table) {
        return caller.group().managed(table);
    }

    public static int number(String param, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw Failure.invalidInput(param, param + " must be a whole number.");
        }
    }

    /** The id in a path, when it names a record of this table: else 404, as the records API answers. */
    public static long existing(RecordService records, AuthTable table, String id) {
        long record = id(id);
        records.get(table, record);
        return record;
    }

    public static long id(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Failure.recordNotFound();
        }
    }
}
