package dev.authgate.http.console;

import java.util.Map;
import java.util.Optional;

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
import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.signin.AccountService;
import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.account.RecordChanges;
import dev.authgate.failure.Failure;
import dev.authgate.federation.Federation;
import dev.authgate.http.BodyCheck;
import dev.authgate.http.ErrorReply;
import dev.authgate.http.RecordsResource;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.passkey.Passkeys;
import dev.authgate.records.RecordService;
import dev.authgate.session.SessionDirectory;

/**
 * A managed table's records, one record's page, and what an administrator does there: change name, email, role
 * and extras, end sessions, delete. Every change goes through the records API's own services and checks.
 */
@Path(ConsoleRequest.PATH + "/{group}/records/{table}")
@ConsoleEndpoint
@Produces(MediaType.TEXT_HTML)
public class RecordPages {

    static final int PER_PAGE = 25;
    private static final Logger LOG = Logger.getLogger(RecordPages.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ConsoleRequest console;
    private final RecordService records;
    private final SessionDirectory directory;
    private final BodyCheck check;
    private final ObjectMapper json;
    private final AccountService accounts;
    private final SecondFactors factors;
    private final Passkeys passkeys;
    private final Federation federation;

    public RecordPages(ConsoleRequest console, RecordService records, SessionDirectory directory,
            BodyCheck check, ObjectMapper json, AccountService accounts, SecondFactors factors, Passkeys passkeys,
            Federation federation) {
        this.federation = federation;
        this.console = console;
        this.records = records;
        this.directory = directory;
        this.check = check;
        this.json = json;
        this.accounts = accounts;
        this.factors = factors;
        this.passkeys = passkeys;
    }

    @GET
    @Operation(hidden = true)
    public Response list(@PathParam("group") String group, @PathParam("table") String table,
            @QueryParam("search") String search, @QueryParam("page") @DefaultValue("1") String page) {
        return console.asAdmin(group, admin -> {
            var found = records.list(admin.managed(table), search, RecordsResource.number("page", page), PER_PAGE);
            return console.html(200, Pages.records(console.frame(admin, table, table), table, search, found));
        });
    }

    @GET
    @Path("{id}")
    @Operation(hidden = true)
    public Response record(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id, @QueryParam("notice") String notice) {
        return console.asAdmin(group, admin -> {
            AccountView r = records.get(admin.managed(table), RecordsResource.id(id));
            return page(admin, table, r, form(r), notice(notice), null, 200);
        });
    }

    /** Name, email, role and extras as the form sends them; a refusal shows the form again with the API's message. */
    @POST
    @Path("{id}")
    @Operation(hidden = true)
    public Response update(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id, @RestForm String name, @RestForm String email, @RestForm String role,
            @RestForm String extras) {
        return console.asAdmin(group, admin -> {
            AuthTable t = admin.managed(table);
            long record = RecordsResource.id(id);
            var sent = new Pages.RecordForm(name, email, role, extras);
            try {
                var changes = check.checked(new RecordChanges(name, email, null,
                        Optional.ofNullable(role).filter(r -> !r.isBlank()), extras(extras)));
                records.update(t, record, changes);
            } catch (Failure f) {
                return refused(admin, t, record, sent, f);
            }
            LOG.infof("console: %s changed %s id=%d", admin.who(), table, record);
            return console.redirect(path(group, table, record) + "?notice=saved");
        });
    }

    @POST
    @Path("{id}/delete")
    @Operation(hidden = true)
    public Response delete(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id, @RestForm String confirm) {
        return console.asAdmin(group, admin -> {
            AuthTable t = admin.managed(table);
            long record = RecordsResource.id(id);
            if (!"yes".equals(confirm)) {
                AccountView r = records.get(t, record);
                return page(admin, table, r, form(r), null, "Tick the box to confirm the deletion.", 400);
            }
            records.delete(t, record);
            LOG.infof("console: %s deleted %s id=%d", admin.who(), table, record);
            return console.redirect(list(group, table));
        });
    }

    @POST
    @Path("{id}/sessions/end")
    @Operation(hidden = true)
    public Response endAll(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id) {
        return console.asAdmin(group, admin -> {
            AuthTable t = admin.managed(table);
            long record = RecordsResource.existing(records, t, id);
            long ended = accounts.signOutEverywhere(t.name(), record);
            LOG.infof("console: %s ended %d sessions of %s id=%d", admin.who(), ended, table, record);
            return console.redirect(path(group, table, record) + "?notice=ended-all");
        });
    }

    /** Removes every second factor of the record (its owner lost them) and ends its sessions. */
    @POST
    @Path("{id}/mfa/reset")
    @Operation(hidden = true)
    public Response resetFactors(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id, @RestForm String confirm) {
        return console.asAdmin(group, admin -> {
            AuthTable t = admin.managed(table);
            long record = RecordsResource.existing(records, t, id);
            if (!"yes".equals(confirm)) {
                AccountView r = records.get(t, record);
                return page(admin, table, r, form(r), null, "Tick the box to confirm the reset of the second factors.",
                        400);
            }
            long ended = factors.reset(t, record);
            LOG.infof("console: %s reset the second factors of %s id=%d (%d sessions ended)", admin.who(), table, record,
                    ended);
            return console.redirect(path(group, table, record) + "?notice=mfa-reset");
        });
    }

    /** Unlinks one identity at a provider; never the record's last way to sign in (the page says why). */
    @POST
    @Path("{id}/identities/{identity}/unlink")
    @Operation(hidden = true)
    public Response unlink(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id, @PathParam("identity") String identity) {
        return console.asAdmin(group, admin -> {
            AuthTable t = admin.managed(table);
            long record = RecordsResource.existing(records, t, id);
            long identityId = RecordsResource.id(identity);
            try {
                federation.unlink(t, record, identityId);
            } catch (Failure f) {
                return refused(admin, t, record, null, f);
            }
            LOG.infof("console: %s unlinked identity %d of %s id=%d", admin.who(), identityId, table, record);
            return console.redirect(path(group, table, record) + "?notice=unlinked");
        });
    }

    @POST
    @Path("{id}/sessions/{session}/end")
    @Operation(hidden = true)
    public Response end(@PathParam("group") String group, @PathParam("table") String table,
            @PathParam("id") String id, @PathParam("session") String session) {
        return console.asAdmin(group, admin -> {
            AuthTable t = admin.managed(table);
            long record = RecordsResource.existing(records, t, id);
            if (!directory.end(t.name(), record, session)) {
                throw Failure.notFound("Session not found.");
            }
            LOG.infof("console: %s ended a session of %s id=%d", admin.who(), table, record);
            return console.redirect(path(group, table, record) + "?notice=ended");
        });
    }

    /** The record's page again with the refusal's message and status (the form as sent, if any); a 404 stays one. */
    private Response refused(Admin admin, AuthTable t, long record, Pages.RecordForm sent, Failure f) {
        if (f.kind() == Failure.Kind.NOT_FOUND) {
            throw f;
        }
        AccountView r = records.get(t, record);
        return page(admin, t.name(), r, sent == null ? form(r) : sent, null, f.getMessage(), ErrorReply.of(f).status());
    }

    private Response page(Admin admin, String table, AccountView r, Pages.RecordForm form, String notice, String error,
            int status) {
        var live = directory.live(table, r.id(), admin.auth().jti());
        var second = factors.list(admin.managed(table), r.id());
        var keys = passkeys.list(admin.managed(table), r.id());
        var identities = federation.identities(admin.managed(table).name(), r.id());
        return console.html(status, Pages.record(console.frame(admin, r.email(), table), table, r, form, live, second,
                keys, identities, notice, error));
    }

    private Pages.RecordForm form(AccountView r) {
        try {
            return new Pages.RecordForm(r.name(), r.email(), r.role(),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(r.extras()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The extras editor's text: a JSON object, or the API's input error naming extras. */
    private Map<String, Object> extras(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            if (!json.readTree(text).isObject()) {
                throw Failure.invalidInput("extras", "extras must be a JSON object.");
            }
            return json.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw Failure.invalidInput("extras", "extras is not valid JSON"
                    + (at == null ? "." : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        }
    }

    private static String notice(String code) {
        return code == null ? null : switch (code) {
            case "saved" -> "Saved. If the role or extras changed, this record's tokens have ended.";
            case "ended" -> "The session has ended.";
            case "ended-all" -> "Every session of this record has ended.";
            case "mfa-reset" -> "Every second factor of this record is removed, and its sessions have ended.";
            case "unlinked" -> "The identity is unlinked: it no longer signs in to this record.";
            default -> null;
        };
    }

    static String list(String group, String table) {
        return ConsoleRequest.PATH + "/" + group + "/records/" + table;
    }

    static String path(String group, String table, long id) {
        return list(group, table) + "/" + id;
    }
}
