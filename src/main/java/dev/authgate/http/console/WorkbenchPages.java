package dev.authgate.http.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.account.AuthTable;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.gate.GateConfig;
import dev.authgate.group.ApiGroup;
import dev.authgate.group.ApiGroups;
import dev.authgate.http.ErrorReply;
import dev.authgate.http.RecordsResource;
import dev.authgate.session.LiveSessions;
import dev.authgate.signin.AccountService;
import dev.authgate.token.Auth;
import dev.authgate.token.InvalidTokenException;
import dev.authgate.token.TokenService;

/**
 * The token workbench: mint a quick test token for a record (when quick tokens are on) with the curl commands that
 * use it, and read any pasted token's $auth (the seed's debugger). Tokens are never logged.
 */
@Path(ConsoleRequest.PATH + "/{group}/workbench")
@ConsoleEndpoint
@Produces(MediaType.TEXT_HTML)
public class WorkbenchPages {

    private static final Logger LOG = Logger.getLogger(WorkbenchPages.class);

    private final ConsoleRequest console;
    private final AccountService accounts;
    private final TokenService tokens;
    private final LiveSessions sessions;
    private final ApiGroups groups;
    private final GateConfig gate;
    private final ObjectMapper json;
    private final boolean quickTokens;

    public WorkbenchPages(ConsoleRequest console, AccountService accounts, TokenService tokens,
            LiveSessions sessions, ApiGroups groups, GateConfig gate, ObjectMapper json, AuthgateConfig config) {
        this.console = console;
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.groups = groups;
        this.gate = gate;
        this.json = json;
        this.quickTokens = config.quickTokens().secret().filter(s -> !s.isBlank()).isPresent();
    }

    @GET
    @Operation(hidden = true)
    public Response show(@PathParam("group") String group) {
        return console.asAdmin(group, admin -> page(admin, 200, null, null, null, null, null));
    }

    /**
     * A quick token for a record of a managed table: no extras, the table's expiration. The administrator's role
     * stands for the operator key here; quick tokens must still be turned on.
     */
    @POST
    @Path("mint")
    @Operation(hidden = true)
    public Response mint(@PathParam("group") String group, @RestForm String table, @RestForm String id) {
        return console.asAdmin(group, admin -> {
            if (!quickTokens) {
                throw Failure.notFound("Quick tokens are off: set authgate.quick-tokens.secret to turn them on.");
            }
            try {
                AuthTable t = admin.managed(table == null ? "" : table);
                long record = RecordsResource.id(id == null ? "" : id.strip());
                String token = accounts.quickToken(t, record, t.tokenExpiration());
                LOG.infof("console: quick token minted by %s: table=%s id=%d expiration=%ds", admin.who(), t.name(),
                        record, t.tokenExpiration());
                return page(admin, 200, table, id, new Pages.Minted(t.name(), record, token, curls(t, token)), null,
                        null);
            } catch (Failure f) {
                return page(admin, ErrorReply.of(f).status(), table, id, null, null, f.getMessage());
            }
        });
    }

    /** A pasted token's $auth; only whether it is valid for a table this group does not manage. */
    @POST
    @Path("inspect")
    @Operation(hidden = true)
    public Response inspect(@PathParam("group") String group, @RestForm String token) {
        return console.asAdmin(group, admin -> {
            Pages.Inspection inspection = inspection(admin, token == null ? "" : token.strip());
            LOG.infof("console: %s inspected a token: %s", admin.who(), inspection.verdict());
            return page(admin, 200, null, null, null, inspection, null);
        });
    }

    private Pages.Inspection inspection(Admin admin, String token) {
        Auth auth;
        try {
            auth = tokens.read(token.regionMatches(true, 0, "Bearer ", 0, 7) ? token.substring(7).strip() : token);
        } catch (InvalidTokenException e) {
            return new Pages.Inspection(switch (e.reason()) {
                case EXPIRED -> "expired";
                case UNKNOWN_KEY -> "encrypted with a key this service does not have";
                case OTHER_ISSUER -> "issued by another issuer";
                default -> "not a token this service can read";
            }, null, null, null, null, null, null, false, null, null);
        }
        if (!admin.tables().contains(auth.dbtable())) {
            return new Pages.Inspection("a token of table " + auth.dbtable() + ", which this group does not manage",
                    auth.dbtable(), null, null, null, null, null, false, null, null);
        }
        boolean live = sessions.record(admin.managed(auth.dbtable()), auth).isPresent();
        try {
            return new Pages.Inspection(live ? "valid" : "ended (logged out, revoked, or its record is gone)",
                    auth.dbtable(), auth.id(), json.writerWithDefaultPrettyPrinter().writeValueAsString(auth.extras()),
                    Instant.ofEpochSecond(auth.iat()).toString(),
                    auth.expires() ? Instant.ofEpochSecond(auth.exp()).toString() : "never", auth.jti().toString(), live,
                    auth.aal(), auth.amr().isEmpty() ? "none" : String.join(", ", auth.amr()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** auth/me in a group of the token's table, and the gate's check for each rule whose group is of that table. */
    private List<Pages.Curl> curls(AuthTable table, String token) {
        String base = console.origin();
        String bearer = " -H 'Authorization: Bearer " + token + "'";
        List<Pages.Curl> curls = new ArrayList<>();
        groups.all().stream().filter(g -> g.table().name().equals(table.name())).map(ApiGroup::name).findFirst()
                .ifPresent(g -> curls.add(new Pages.Curl("auth/me in group " + g,
                        "curl -s " + base + "/api:" + g + "/auth/me" + bearer)));
        new TreeMap<>(gate.routes()).forEach((name, route) -> groups.find(route.group())
                .filter(g -> g.table().name().equals(table.name())).ifPresent(g -> {
                    String method = route.methods().filter(m -> !m.isEmpty()).map(m -> m.get(0)).orElse("GET");
                    curls.add(new Pages.Curl("gate rule " + name + " (" + route.access() + ")",
                            gate.forwarded().curl(base, method, example(route.path())) + bearer));
                }));
        return curls;
    }

    /** A path the glob matches: every wildcard segment becomes {@code example}. */
    static String example(String glob) {
        return glob.replaceAll("(?<=/|^)\\*\\*?(?=/|$)", "example");
    }

    private Response page(Admin admin, int status, String table, String id, Pages.Minted minted,
            Pages.Inspection inspection, String error) {
        return console.html(status, Pages.workbench(console.frame(admin, "Token workbench", "workbench"), quickTokens,
                table == null ? admin.tables().get(0) : table, id, minted, inspection, error));
    }
}
