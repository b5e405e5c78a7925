package dev.authgate.federation;

import java.net.URI;
import java.util.List;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

/**
 * GitHub: OAuth 2 without OpenID Connect (no id_token, no {@code email_verified}, no {@code amr}). The browser goes to
 * {@code {github-url}/login/oauth/authorize} (state, PKCE S256: GitHub accepts it since 2025-07), the code is traded
 * at {@code /login/oauth/access_token} (client secret in the body, {@code Accept: application/json}; GitHub answers a
 * refusal with 200 and an {@code error} member), then with that token {@code GET {github-api-url}/user} says who
 * (subject: the numeric {@code id}, which a renamed login keeps) and {@code GET /user/emails} which address is primary
 * and whether GitHub verified it. Nimbus forms the requests and reads the token response; the REST answers are read
 * with its JSON utilities.
 */
final class GitHubUpstream implements Upstream {

    static final String API_VERSION = "2022-11-28";

    private final Providers.Definition definition;
    private final ClientID clientId;

    GitHubUpstream(Providers.Definition definition) {
        this.definition = definition;
        this.clientId = new ClientID(definition.clientId());
    }

    @Override
    public Providers.Definition definition() {
        return definition;
    }

    @Override
    public String issuer() {
        return definition.issuer();
    }

    @Override
    public boolean sendsIssuerParameter() {
        return false;
    }

    @Override
    public URI authorizationUrl(URI callback, String state, String nonce, String pkceVerifier) {
        return new AuthorizationRequest.Builder(ResponseType.CODE, clientId)
                .endpointURI(URI.create(definition.issuer() + "/login/oauth/authorize"))
                .redirectionURI(callback)
                .scope(new Scope(definition.scopes().toArray(String[]::new)))
                .state(new State(state))
                .codeChallenge(new CodeVerifier(pkceVerifier), CodeChallengeMethod.S256)
                .build().toURI();
    }

    @Override
    public Claims exchange(String code, URI callback, String pkceVerifier, String nonce) throws Down, Refused {
        AccessToken token = accessToken(code, callback, pkceVerifier);
        JSONObject user = object(api("/user", token), "/user");
        long id;
        try {
            id = JSONObjectUtils.getLong(user, "id");
        } catch (ParseException e) {
            throw new Refused("GitHub's /user has no numeric id");
        }
        String name = string(user, "name");
        if (name == null || name.isBlank()) {
            name = string(user, "login");
        }
        String email = null;
        boolean verified = false;
        HTTPResponse emails = api("/user/emails", token);
        if (emails.getStatusCode() == 403 || emails.getStatusCode() == 404) {
            // no user:email scope (or a GitHub App without the email permission): only the public address, unverified
            email = string(user, "email");
        } else {
            JSONObject primary = primary(emails);
            if (primary != null) {
                email = string(primary, "email");
                verified = Boolean.TRUE.equals(primary.get("verified"));
            }
        }
        return new Claims(Long.toString(id), email, verified, name, List.of());
    }

    private AccessToken accessToken(String code, URI callback, String pkceVerifier) throws Down, Refused {
        var grant = new AuthorizationCodeGrant(new AuthorizationCode(code), callback, new CodeVerifier(pkceVerifier));
        var request = new TokenRequest(URI.create(definition.issuer() + "/login/oauth/access_token"),
                new ClientSecretPost(clientId, new Secret(definition.clientSecret().orElseThrow())), grant, null)
                .toHTTPRequest();
        request.setAccept("application/json");
        HTTPResponse answer = Upstream.send(request, "token endpoint");
        JSONObject body;
        try {
            body = answer.getBodyAsJSONObject();
        } catch (ParseException e) {
            throw new Refused("GitHub's token response (" + answer.getStatusCode() + ") could not be read");
        }
        try {
            if (body.containsKey("error") || answer.getStatusCode() != 200) {
                // GitHub answers a refusal (bad_verification_code, incorrect_client_credentials...) with 200
                var error = TokenErrorResponse.parse(body).getErrorObject();
                throw new Refused("GitHub refused the code: " + (error == null ? "no reason" : error.getCode()));
            }
            return AccessTokenResponse.parse(body).getTokens().getAccessToken();
        } catch (ParseException e) {
            throw new Refused("GitHub's token response could not be read: " + e.getMessage());
        }
    }

    private HTTPResponse api(String path, AccessToken token) throws Down, Refused {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, URI.create(definition.apiUrl() + path));
        request.setAuthorization(token.toAuthorizationHeader());
        request.setAccept("application/vnd.github+json");
        request.setHeader("X-GitHub-Api-Version", API_VERSION);
        request.setHeader("User-Agent", "Authgate"); // GitHub's REST API refuses requests without one
        HTTPResponse answer = Upstream.send(request, path);
        if (answer.getStatusCode() == 401) {
            throw new Refused("GitHub did not accept its own token at " + path);
        }
        return answer;
    }

    private static JSONObject object(HTTPResponse answer, String path) throws Refused {
        if (answer.getStatusCode() != 200) {
            throw new Refused("GitHub's " + path + " answered " + answer.getStatusCode());
        }
        try {
            return answer.getBodyAsJSONObject();
        } catch (ParseException e) {
            throw new Refused("GitHub's " + path + " could not be read");
        }
    }

    /** The primary address of {@code /user/emails} ({@code [{"email","primary","verified","visibility"}]}). */
    private static JSONObject primary(HTTPResponse answer) throws Refused {
        if (answer.getStatusCode() != 200) {
            throw new Refused("GitHub's /user/emails answered " + answer.getStatusCode());
        }
        JSONArray all;
        try {
            all = answer.getBodyAsJSONArray();
        } catch (ParseException e) {
            throw new Refused("GitHub's /user/emails could not be read");
        }
        for (Object o : all) {
            if (o instanceof JSONObject e && Boolean.TRUE.equals(e.get("primary")) && e.get("email") instanceof String) {
                return e;
            }
        }
        return null;
    }

    private static String string(JSONObject o, String key) {
        return o.get(key) instanceof String s ? s : null;
    }
}
