package dev.authgate.http;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import dev.authgate.account.AccountRules;
import dev.authgate.account.AccountService;
import dev.authgate.account.AccountService.NewAccount;
import dev.authgate.account.AccountView;
import dev.authgate.security.TokenIdentityProvider;

/** {@code /api:{group}[:{branch}]/auth/*}: sign-up, login and me against the group's auth table. */
@Path(ApiGroups.PATH + "/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AuthResource {

    private final AccountService accounts;
    private final SecurityIdentity identity;

    public AuthResource(AccountService accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    @POST
    @Path("signup")
    public AuthToken signup(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body) {
        Fields f = Fields.parse(type, body);
        var input = new NewAccount(AccountRules.name(f.requiredText("name")), AccountRules.email(f.requiredText("email")),
                AccountRules.password(f.requiredText("password"), "password"));
        return new AuthToken(accounts.signup(group.table(), input));
    }

    @POST
    @Path("login")
    public AuthToken login(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body) {
        Fields f = Fields.parse(type, body);
        String email = AccountRules.email(f.requiredText("email"));
        String password = f.requiredText("password");
        return new AuthToken(accounts.login(group.table(), email, password));
    }

    @GET
    @Path("me")
    @Authenticated
    public AccountView me(@PathParam("api") ApiGroup group) {
        return identity.getAttribute(TokenIdentityProvider.RECORD);
    }
}
