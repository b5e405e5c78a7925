package dev.authgate.http;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.NonBlocking;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.account.AccountRules;
import dev.authgate.account.AccountService;
import dev.authgate.account.AccountService.NewAccount;
import dev.authgate.account.AccountView;
import dev.authgate.security.ClientAddress;
import dev.authgate.security.OperatorKey;
import dev.authgate.security.TokenIdentityProvider;
import dev.authgate.token.Auth;
import dev.authgate.token.Sessions;

/** {@code /api:{group}[:{branch}]/auth/*}: sign-up, login, me and the token's life, against the group's auth table. */
@Path(ApiGroups.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);

    private final AccountService accounts;
    private final Sessions sessions;
    private final OperatorKey operatorKey;
    private final ClientAddress clients;
    private final SecurityIdentity identity;

    public AuthResource(AccountService accounts, Sessions sessions, OperatorKey operatorKey, ClientAddress clients,
            SecurityIdentity identity) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.operatorKey = operatorKey;
        this.clients = clients;
        this.identity = identity;
    }

    @POST
    @Path("auth/signup")
    public AuthToken signup(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body, @Context HttpServerRequest request) {
        Fields f = Fields.parse(type, body);
        var input = new NewAccount(AccountRules.name(f.requiredText("name")), AccountRules.email(f.requiredText("email")),
                AccountRules.password(f.requiredText("password"), "password"));
        return new AuthToken(accounts.signup(group.table(), input, clients.of(request)));
    }

    @POST
    @Path("auth/login")
    public AuthToken login(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body, @Context HttpServerRequest request) {
        Fields f = Fields.parse(type, body);
        String email = AccountRules.email(f.requiredText("email"));
        String password = f.requiredText("password");
        return new AuthToken(accounts.login(group.table(), email, password, clients.of(request)));
    }

    /** The record was read with the token's session: nothing left to block on. */
    @GET
    @Path("auth/me")
    @Authenticated
    @NonBlocking
    public AccountView me(@PathParam("api") ApiGroup group) {
        return identity.getAttribute(TokenIdentityProvider.RECORD);
    }

    /** The caller's $auth: how another service validates a token it was handed, without the key. */
    @GET
    @Path("auth/token")
    @Authenticated
    @NonBlocking
    public TokenInfo token(@PathParam("api") ApiGroup group) {
        return TokenInfo.of(caller());
    }

    /** Supabase's scopes: {@code local} (this token, the default), {@code global} (all), {@code others}. */
    @POST
    @Path("auth/logout")
    @Authenticated
    public Revoked logout(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body) {
        Auth auth = caller();
        String scope = Fields.parse(type, body).text("scope").orElse("local");
        return new Revoked(switch (scope) {
            case "local" -> sessions.revoke(auth.jti());
            case "global" -> sessions.revokeAll(auth.dbtable(), auth.id());
            case "others" -> sessions.revokeOthers(auth.dbtable(), auth.id(), auth.jti());
            default -> throw ApiException.input("scope", "scope is one of local, global, others.");
        });
    }

    /** Changes the caller's password; the caller's other tokens end, this one goes on. */
    @POST
    @Path("auth/password")
    @Authenticated
    public Revoked password(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body) {
        Fields f = Fields.parse(type, body);
        String current = f.requiredText("current_password");
        String replacement = AccountRules.password(f.requiredText("new_password"), "new_password");
        return new Revoked(accounts.changePassword(group.table(), caller(), current, replacement));
    }

    /**
     * A token for a record id with no extras, for operators testing endpoints. It does not exist (404) unless
     * {@code authgate.quick-tokens.secret} is set and the request carries it in {@value OperatorKey#HEADER}.
     */
    @POST
    @Path("auth/quick-token")
    public AuthToken quickToken(@PathParam("api") ApiGroup group, @HeaderParam(OperatorKey.HEADER) String key,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body, @Context HttpServerRequest request) {
        if (!operatorKey.accepts(key)) {
            throw ApiException.notFound(ApiGroups.NOT_FOUND);
        }
        Fields f = Fields.parse(type, body);
        long id = f.integer("id").orElseThrow(() -> ApiException.input("id", "Missing param: id"));
        long expiration = f.integer("expiration").orElse(group.table().tokenExpiration());
        if (expiration < 0) {
            throw ApiException.input("expiration", "expiration is in seconds, 0 for never.");
        }
        String token = accounts.quickToken(group.table(), id, expiration);
        LOG.infof("quick token minted by the operator from %s: table=%s id=%d expiration=%ds",
                request.remoteAddress(), group.table().name(), id, expiration);
        return new AuthToken(token);
    }

    private Auth caller() {
        return identity.getAttribute(TokenIdentityProvider.AUTH);
    }
}
