package dev.authgate.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Upstream providers the build can run: GitHub cannot run here, so this JDK HttpServer on a free loopback port answers
 * GitHub's documented shapes (docs.github.com "Authorizing OAuth apps", "Troubleshooting OAuth app access token
 * request errors", REST "Users" and "Emails"): {@code /login/oauth/authorize} with PKCE S256,
 * {@code /login/oauth/access_token} (client secret in the body; a refusal is 200 with {@code error}), and under
 * {@code /api/v3} (a GitHub Enterprise Server's API path) {@code GET /user} and {@code GET /user/emails} with the
 * token. Beside it a minimal OpenID provider under {@code /oidc} (discovery, JWKS, authorize, token with an id_token
 * signed by Nimbus) whose id_token carries the {@code amr} a test chooses, for {@code trust-mfa}.
 *
 * <p>There is no login page: the test opens the authorization URL Authgate sent the browser to with
 * {@code &as=<login or subject>}, as if that person had signed in and approved, and gets GitHub's redirect to the
 * callback. One server per test JVM.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "Iv1.fake-client";
    public static final String CLIENT_SECRET = "fake-github-secret-0123456789";
    public static final String APP_REDIRECT = "http://127.0.0.1:9/app/signed-in";
    static final ObjectMapper JSON = new ObjectMapper();

    public record Email(String email, boolean primary, boolean verified) {
    }

    public record GitHubUser(long id, String login, String name, String publicEmail, List<Email> emails) {
    }

    public record OidcUser(String subject, String email, boolean emailVerified, List<String> amr) {
    }

    private record Grant(String who, String redirectUri, String challenge, String nonce) {
    }

    private static HttpServer server;
    private static RSAKey key;
    static final Map<String, GitHubUser> GITHUB_USERS = new ConcurrentHashMap<>();
    static final Map<String, OidcUser> OIDC_USERS = new ConcurrentHashMap<>();
    private static final Map<String, Grant> CODES = new ConcurrentHashMap<>();
    private static final Map<String, String> ACCESS_TOKENS = new ConcurrentHashMap<>();
    /** What the token endpoint was sent, newest last: tests check the client's form. */
    static final List<Map<String, String>> TOKEN_REQUESTS = new CopyOnWriteArrayList<>();
    /** Set by a test: the token endpoint answers this status with a body that is not JSON (0: normally). */
    static volatile int tokenStatus;
    /** Set by a test: {@code /user/emails} answers this status (0: normally), e.g. 404 for a missing scope. */
    static volatile int emailsStatus;

    public static synchronized String base() {
        if (server == null) {
            try {
                key = new RSAKeyGenerator(2048).keyID("fake-" + UUID.randomUUID()).generate();
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", FakeUpstreams::handle);
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static String issuer() {
        return base() + "/oidc";
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("authgate.providers.gh.kind", "github");
        c.put("authgate.providers.gh.client-id", CLIENT_ID);
        c.put("authgate.providers.gh.client-secret", CLIENT_SECRET);
        c.put("authgate.providers.gh.groups", "main");
        c.put("authgate.providers.gh.github-url", base());
        c.put("authgate.providers.gh.github-api-url", base() + "/api/v3");
        for (String name : List.of("trusted", "untrusted")) {
            c.put("authgate.providers." + name + ".issuer", issuer());
            c.put("authgate.providers." + name + ".client-id", CLIENT_ID);
            c.put("authgate.providers." + name + ".client-secret", CLIENT_SECRET);
            c.put("authgate.providers." + name + ".groups", "main");
        }
        c.put("authgate.providers.trusted.trust-mfa", "true");
        c.put("authgate.providers.redirect-allowlist", APP_REDIRECT);
        return c;
    }

    @Override
    public void stop() {
        // kept for the JVM: stopped when it exits
    }

    private static void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            Map<String, String> q = form(x.getRequestURI().getRawQuery());
            switch (path) {
                case "/login/oauth/authorize", "/oidc/authorize" -> authorize(x, q, path.startsWith("/oidc"));
                case "/login/oauth/access_token" -> githubToken(x);
                case "/api/v3/user" -> githubUser(x, false);
                case "/api/v3/user/emails" -> githubUser(x, true);
                case "/oidc/.well-known/openid-configuration" -> send(x, 200, Map.of("issuer", issuer(),
                        "authorization_endpoint", issuer() + "/authorize", "token_endpoint", issuer() + "/token",
                        "jwks_uri", issuer() + "/jwks", "response_types_supported", List.of("code"),
                        "subject_types_supported", List.of("public"),
                        "id_token_signing_alg_values_supported", List.of("RS256")));
                case "/oidc/jwks" -> send(x, 200, new JWKSet(key.toPublicJWK()).toJSONObject());
                case "/oidc/token" -> oidcToken(x);
                default -> send(x, 404, Map.of("message", "Not Found"));
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    /** The person {@code as} has signed in and approved: back to the client's redirect_uri with a code. */
    private static void authorize(HttpExchange x, Map<String, String> q, boolean oidc) throws IOException {
        String who = q.get("as");
        if (!CLIENT_ID.equals(q.get("client_id")) || who == null || q.get("redirect_uri") == null
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || (oidc ? !OIDC_USERS.containsKey(who) : !GITHUB_USERS.containsKey(who))) {
            send(x, 400, Map.of("message", "bad authorization request: " + q));
            return;
        }
        String code = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        CODES.put(code, new Grant(who, q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce")));
        String location = q.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Location", location);
        x.sendResponseHeaders(302, -1);
    }

    /** The code's grant, when client, code, redirect_uri and PKCE verifier hold; else GitHub's error name. */
    private static Object redeem(Map<String, String> f, String clientId, String secret) {
        if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(secret)) {
            return "incorrect_client_credentials";
        }
        Grant grant = f.get("code") == null ? null : CODES.remove(f.get("code")); // single use
        if (grant == null || f.get("code_verifier") == null || !grant.challenge().equals(s256(f.get("code_verifier")))) {
            return "bad_verification_code";
        }
        if (!grant.redirectUri().equals(f.get("redirect_uri"))) {
            return "redirect_uri_mismatch";
        }
        return grant;
    }

    private static void githubToken(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        TOKEN_REQUESTS.add(f);
        if (tokenStatus != 0) {
            byte[] page = "<html>Unicorn!</html>".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(tokenStatus, page.length);
            x.getResponseBody().write(page);
            return;
        }
        Object redeemed = redeem(f, f.get("client_id"), f.get("client_secret"));
        if (redeemed instanceof String error) {
            send(x, 200, Map.of("error", error, "error_description", "The code passed is incorrect or expired.",
                    "error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#" + error));
            return;
        }
        String token = "gho_" + UUID.randomUUID().toString().replace("-", "");
        ACCESS_TOKENS.put(token, ((Grant) redeemed).who());
        send(x, 200, Map.of("access_token", token, "token_type", "bearer", "scope", "read:user,user:email"));
    }

    private static void githubUser(HttpExchange x, boolean emails) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String login = auth == null ? null : ACCESS_TOKENS.get(auth.replaceFirst("^(?i)(bearer|token) ", ""));
        if (login == null) {
            send(x, 401, Map.of("message", "Bad credentials", "documentation_url", "https://docs.github.com/rest"));
            return;
        }
        if (x.getRequestHeaders().getFirst("User-Agent") == null) {
            send(x, 403, Map.of("message", "Request forbidden by administrative rules. Please make sure your request"
                    + " has a User-Agent header"));
            return;
        }
        GitHubUser u = GITHUB_USERS.get(login);
        if (emails) {
            if (emailsStatus != 0) {
                send(x, emailsStatus, Map.of("message", "Not Found"));
                return;
            }
            send(x, 200, u.emails().stream().map(e -> Map.of("email", e.email(), "primary", e.primary(),
                    "verified", e.verified(), "visibility", e.primary() ? "public" : "private")).toList());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("login", u.login());
        body.put("id", u.id());
        body.put("node_id", "MDQ6VXNlcj" + u.id());
        body.put("type", "User");
        body.put("name", u.name());
        body.put("email", u.publicEmail());
        send(x, 200, body);
    }

    private static void oidcToken(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = x.getRequestHeaders().getFirst("Authorization");
        String[] client = basic == null ? new String[] { null, null }
                : new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
        Object redeemed = redeem(f, URLDecoder.decode(client[0], StandardCharsets.UTF_8),
                URLDecoder.decode(client[1], StandardCharsets.UTF_8));
        if (redeemed instanceof String error) {
            send(x, 400, Map.of("error", "invalid_grant", "error_description", error));
            return;
        }
        Grant grant = (Grant) redeemed;
        OidcUser u = OIDC_USERS.get(grant.who());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(u.subject())
                .audience(CLIENT_ID).issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("nonce", grant.nonce()).claim("email", u.email()).claim("email_verified", u.emailVerified())
                .claim("name", "OIDC " + u.subject());
        if (!u.amr().isEmpty()) {
            claims.claim("amr", u.amr());
        }
        SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        try {
            idToken.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        send(x, 200, Map.of("access_token", UUID.randomUUID().toString(), "token_type", "Bearer", "expires_in", 300,
                "id_token", idToken.serialize()));
    }

    private static void send(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
