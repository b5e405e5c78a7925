package dev.authgate.http;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.authgate.account.AccountRules;
import dev.authgate.account.AccountView;
import dev.authgate.account.RecordPage;
import dev.authgate.account.RecordService;
import dev.authgate.account.RecordService.Changes;

/**
 * {@code /api:{group}/{table}}: Xano-style CRUD on the records of an auth table, for administrators of a group
 * whose {@code authgate.groups.<group>.manages} lists the table. Other tables are 404.
 */
@Path(ApiGroups.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RolesAllowed("${authgate.admin-role}")
public class RecordsResource {

    /** A table name; never {@code auth}, so a wrong method on an auth endpoint stays a 404. */
    public static final String TABLE = "{table:(?!auth\\b)[A-Za-z0-9_]+}";

    private final RecordService records;

    public RecordsResource(RecordService records) {
        this.records = records;
    }

    @GET
    @Path(TABLE)
    public RecordPage list(@PathParam("api") ApiGroup group, @PathParam("table") String table,
            @QueryParam("page") @DefaultValue("1") String page, @QueryParam("per_page") @DefaultValue("25") String perPage) {
        return records.list(group.managed(table), number("page", page), number("per_page", perPage));
    }

    @GET
    @Path(TABLE + "/{id}")
    public AccountView get(@PathParam("api") ApiGroup group, @PathParam("table") String table, @PathParam("id") String id) {
        return records.get(group.managed(table), id(id));
    }

    @POST
    @Path(TABLE)
    public AccountView create(@PathParam("api") ApiGroup group, @PathParam("table") String table,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        var t = group.managed(table);
        return records.create(t, changes(Fields.parse(type, body)));
    }

    @PATCH
    @Path(TABLE + "/{id}")
    public AccountView update(@PathParam("api") ApiGroup group, @PathParam("table") String table, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        var t = group.managed(table);
        return records.update(t, id(id), changes(Fields.parse(type, body)));
    }

    /** Answers 200 {@code null}, as Xano's delete does; the record's tokens end with it. */
    @DELETE
    @Path(TABLE + "/{id}")
    public Response delete(@PathParam("api") ApiGroup group, @PathParam("table") String table, @PathParam("id") String id) {
        records.delete(group.managed(table), id(id));
        return Response.ok("null", MediaType.APPLICATION_JSON).build();
    }

    private static Changes changes(Fields f) {
        return new Changes(f.text("name").map(AccountRules::name), f.text("email").map(AccountRules::email),
                f.text("password").map(p -> AccountRules.password(p, "password")),
                f.clearableText("role").map(r -> r.map(RecordsResource::role)), f.object("extras"));
    }

    private static String role(String raw) {
        String role = raw.strip();
        if (role.isEmpty() || role.length() > RecordService.MAX_ROLE) {
            throw ApiException.input("role", "role is 1 to " + RecordService.MAX_ROLE + " characters, or null.");
        }
        return role;
    }

    private static int number(String param, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.input(param, param + " must be a whole number.");
        }
    }

    private static long id(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Record not found.");
        }
    }
}
