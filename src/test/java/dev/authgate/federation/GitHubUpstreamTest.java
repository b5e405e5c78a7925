package dev.authgate.federation;

import static dev.authgate.federation.CookieJar.enc;
import static dev.authgate.federation.CookieJar.query;
import static dev.authgate.federation.UpstreamSignIn.atProvider;
import static dev.authgate.federation.UpstreamSignIn.codeOf;
import static dev.authgate.federation.UpstreamSignIn.exchange;
import static dev.authgate.federation.UpstreamSignIn.landing;
import static dev.authgate.federation.UpstreamSignIn.startUrl;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.authgate.federation.FakeUpstreams.Email;
import dev.authgate.federation.FakeUpstreams.GitHubUser;
import dev.authgate.oidc.OidcProfile;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Management;
import dev.authgate.support.TestDatabase;

/**
 * The {@code github} preset against {@link FakeUpstreams}, a local server answering GitHub's documented API shapes
 * (GitHub itself cannot run here): OAuth 2 without OpenID Connect, the user from {@code /user}, the address and
 * whether it is verified from {@code /user/emails}, the subject GitHub's numeric id.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class GitHubUpstreamTest {

    static final AtomicLong IDS = new AtomicLong(9_000_000 + System.nanoTime() % 1_000_000);

    /** A GitHub account with one primary address, verified or not. */
    static GitHubUser user(String email, boolean verified) {
        long id = IDS.incrementAndGet();
        GitHubUser u = new GitHubUser(id, "octo" + id, "Octo " + id, null,
                List.of(new Email("other-" + id + "@users.noreply.github.com", false, true),
                        new Email(email, true, verified)));
        FakeUpstreams.GITHUB_USERS.put(u.login(), u);
        return u;
    }

    static long identities(GitHubUser u) {
        return TestDatabase.scalar("select count(*) from auth_identity where provider = 'gh' and subject = ?",
                Long.toString(u.id()));
    }

    @AfterEach
    void normalGitHub() {
        FakeUpstreams.tokenStatus = 0;
        FakeUpstreams.emailsStatus = 0;
    }

    @Test
    void aNewPersonSignsUpWithGitHubAndTheSubjectIsGitHubsNumericId() throws Exception {
        String email = Api.uniqueEmail();
        GitHubUser u = user(email, true);

        CookieJar jar = new CookieJar();
        HttpResponse<String> start = jar.get(startUrl("gh"));
        assertEquals(302, start.statusCode(), start.body());
        String toGitHub = start.headers().firstValue("location").orElseThrow();
        assertTrue(toGitHub.startsWith(FakeUpstreams.base() + "/login/oauth/authorize?"), toGitHub);
        Map<String, String> q = query(toGitHub);
        assertEquals(FakeUpstreams.CLIENT_ID, q.get("client_id"));
        assertEquals(UpstreamSignIn.authgate() + "/api:main/auth/oauth/gh/callback", q.get("redirect_uri"));
        assertEquals("read:user user:email", q.get("scope"));
        assertEquals("S256", q.get("code_challenge_method"));
        assertTrue(q.get("state").length() >= 43, "state: " + q.get("state"));
        HttpResponse<String> approved = jar.get(toGitHub + "&as=" + enc(u.login()));
        HttpResponse<String> landed = jar.get(approved.headers().firstValue("location").orElseThrow());
        assertEquals(302, landed.statusCode(), landed.body());
        String token = exchange(codeOf(landed.headers().firstValue("location").orElseThrow())).then().statusCode(200)
                .extract().path("authToken");

        // the token request as GitHub documents it: client id and secret in the body, the code, PKCE's verifier
        Map<String, String> sent = FakeUpstreams.TOKEN_REQUESTS.get(FakeUpstreams.TOKEN_REQUESTS.size() - 1);
        assertEquals(FakeUpstreams.CLIENT_SECRET, sent.get("client_secret"));
        assertEquals(FakeUpstreams.CLIENT_ID, sent.get("client_id"));
        assertTrue(sent.get("code_verifier").length() >= 43);

        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> claims = Jwe.decrypt(token).claims();
        assertEquals(id, ((Number) claims.get("id")).longValue());
        assertEquals(List.of("fed"), claims.get("amr"));
        assertEquals(1, ((Number) claims.get("aal")).intValue());
        assertEquals("true", TestDatabase.text("select verified::text from \"user\" where id = ?", id),
                "GitHub's /user/emails said the primary address is verified");
        assertEquals(u.name(), TestDatabase.text("select name from \"user\" where id = ?", id));
        assertEquals(Federation.NO_PASSWORD, TestDatabase.text("select password_hash from \"user\" where id = ?", id));
        assertEquals(email, TestDatabase.text("select email from auth_identity where provider = 'gh' and subject = ?",
                Long.toString(u.id())), "the primary address, not the other verified one");

        // renamed at GitHub, with another primary address: the numeric id still opens the same record
        GitHubUser renamed = new GitHubUser(u.id(), "renamed-" + u.id(), null, null,
                List.of(new Email("new-" + email, true, true)));
        FakeUpstreams.GITHUB_USERS.put(renamed.login(), renamed);
        String again = exchange(codeOf(landing(startUrl("gh"), renamed.login()))).then().statusCode(200)
                .extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(again).claims().get("id")).longValue());
        assertEquals(1, identities(u));
    }

    @Test
    void anUnverifiedPrimaryAddressIsNotLinkedToAVerifiedRecord() throws Exception {
        String email = Api.uniqueEmail();
        Api.signup(email);
        TestDatabase.update("update \"user\" set verified = true where email = ?", email);
        GitHubUser u = user(email, false);
        long sessions = TestDatabase.scalar("select count(*) from auth_session");

        exchange(codeOf(landing(startUrl("gh"), u.login()))).then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED")).body("message", equalTo(Federation.LINK_FIRST));
        assertEquals(0, identities(u));
        assertEquals(sessions, TestDatabase.scalar("select count(*) from auth_session"), "no token issued");
        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));

        // verified at GitHub now: linked, the record keeps its password
        FakeUpstreams.GITHUB_USERS.put(u.login(), new GitHubUser(u.id(), u.login(), u.name(), null,
                List.of(new Email(email, true, true))));
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        String token = exchange(codeOf(landing(startUrl("gh"), u.login()))).then().statusCode(200)
                .extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(token).claims().get("id")).longValue());
        assertEquals(1, identities(u));
        assertTrue(TestDatabase.text("select password_hash from \"user\" where id = ?", id).startsWith("$2"));
    }

    @Test
    void withoutTheEmailsApiOnlyThePublicAddressIsKnownAndItIsNotVerified() throws Exception {
        String email = Api.uniqueEmail();
        long ghId = IDS.incrementAndGet();
        GitHubUser u = new GitHubUser(ghId, "public-" + ghId, "Public", email, List.of(new Email(email, true, true)));
        FakeUpstreams.GITHUB_USERS.put(u.login(), u);
        FakeUpstreams.emailsStatus = 404; // as GitHub answers a token without user:email

        exchange(codeOf(landing(startUrl("gh"), u.login()))).then().statusCode(200);
        assertEquals("false", TestDatabase.text("select verified::text from \"user\" where email = ?", email));
        assertEquals("false", TestDatabase.text("select email_verified::text from auth_identity where provider = 'gh'"
                + " and subject = ?", Long.toString(ghId)));
    }

    @Test
    void aRefusedCodeExchangeEndsOnTheAppWithAnErrorNeverA500() throws Exception {
        GitHubUser u = user(Api.uniqueEmail(), true);

        // GitHub refuses the code (200 with error=bad_verification_code, as it does)
        CookieJar jar = new CookieJar();
        String callback = atProvider(jar, startUrl("gh"), u.login());
        String forged = callback.replaceFirst("code=[^&]+", "code=not-a-github-code");
        HttpResponse<String> refused = jar.get(forged);
        assertEquals(302, refused.statusCode(), refused.body());
        String location = refused.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith(FakeUpstreams.APP_REDIRECT + "?error=server_error&error_description="), location);
        assertFalse(location.contains("code="), location);
        assertEquals(0, identities(u));

        // a token endpoint answering a page that is not JSON
        FakeUpstreams.tokenStatus = 404;
        CookieJar jar2 = new CookieJar();
        HttpResponse<String> notJson = jar2.get(atProvider(jar2, startUrl("gh"), u.login()));
        assertEquals(302, notJson.statusCode(), notJson.body());
        assertTrue(notJson.headers().firstValue("location").orElseThrow()
                .startsWith(FakeUpstreams.APP_REDIRECT + "?error=server_error"));

        // GitHub down (5xx): the error shape's 502, counted
        FakeUpstreams.tokenStatus = 503;
        CookieJar jar3 = new CookieJar();
        HttpResponse<String> down = jar3.get(atProvider(jar3, startUrl("gh"), u.login()));
        assertEquals(502, down.statusCode(), down.body());
        assertTrue(down.body().contains("\"code\":\"ERROR_CODE_BAD_GATEWAY\""), down.body());
        assertTrue(down.headers().firstValue("location").isEmpty());
        String metrics = RestAssured.given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("authgate_federation_failures_total{provider=\"gh\",reason=\"unavailable\"}"));
        assertTrue(metrics.contains("authgate_federation_failures_total{provider=\"gh\",reason=\"refused\"}"));
        assertEquals(0, identities(u));

        // GitHub's own refusal on its page comes back as ?error=access_denied
        CookieJar jar4 = new CookieJar();
        String state = query(atProvider(jar4, startUrl("gh"), u.login())).get("state");
        HttpResponse<String> denied = jar4.get(UpstreamSignIn.authgate()
                + "/api:main/auth/oauth/gh/callback?error=access_denied&state=" + enc(state));
        assertTrue(denied.headers().firstValue("location").orElseThrow()
                .startsWith(FakeUpstreams.APP_REDIRECT + "?error=access_denied"));
    }

    @Test
    void anAnswerFromAnotherIssuerOrWithoutAnAddressMakesNothing() throws Exception {
        // RFC 9207: GitHub sends no iss; one that is sent must be GitHub's (mix-up defense)
        GitHubUser u = user(Api.uniqueEmail(), true);
        CookieJar jar = new CookieJar();
        String callback = atProvider(jar, startUrl("gh"), u.login());
        HttpResponse<String> mixedUp = jar.get(callback + "&iss=" + enc("https://evil.example"));
        assertEquals(302, mixedUp.statusCode(), mixedUp.body());
        assertTrue(mixedUp.headers().firstValue("location").orElseThrow()
                .startsWith(FakeUpstreams.APP_REDIRECT + "?error=server_error"));
        assertEquals(0, identities(u));

        // no primary address at GitHub and none public: refused at the token step, no record, no identity
        long ghId = IDS.incrementAndGet();
        GitHubUser none = new GitHubUser(ghId, "none-" + ghId, "None", null, List.of());
        FakeUpstreams.GITHUB_USERS.put(none.login(), none);
        exchange(codeOf(landing(startUrl("gh"), none.login()))).then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("The provider shared no email address; sign in another way."));
        assertEquals(0, identities(none));
    }

    @Test
    void aSignedInAccountLinksGitHubAndUnlinksItButNeverItsLastWayIn() throws Exception {
        // an account with a password links GitHub from inside
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        GitHubUser u = user("elsewhere-" + email, true);
        String url = Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("redirect_uri", FakeUpstreams.APP_REDIRECT))
                .post("/api:main/auth/identities/gh/link").then().statusCode(200).extract().path("url");
        assertEquals(FakeUpstreams.APP_REDIRECT + "?linked=gh", landing(url, u.login()));
        long identity = ((Number) Api.bearer(token).get("/api:main/auth/identities").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].provider", equalTo("gh"))
                .body("[0].subject", equalTo(Long.toString(u.id())))
                .body("[0].email", equalTo("elsewhere-" + email)).extract().path("[0].id")).longValue();
        String viaGitHub = exchange(codeOf(landing(startUrl("gh"), u.login()))).then().statusCode(200)
                .extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(viaGitHub).claims().get("id")).longValue());
        // linked elsewhere already: another account cannot link the same GitHub identity
        String other = Api.signup(Api.uniqueEmail());
        String otherUrl = Api.bearer(other).contentType(ContentType.JSON)
                .body(Map.of("redirect_uri", FakeUpstreams.APP_REDIRECT))
                .post("/api:main/auth/identities/gh/link").then().statusCode(200).extract().path("url");
        assertTrue(landing(otherUrl, u.login()).startsWith(FakeUpstreams.APP_REDIRECT + "?error=access_denied"));
        // another account cannot unlink it; the owner can (the password is still a way in)
        Api.bearer(other).delete("/api:main/auth/identities/" + identity).then().statusCode(404);
        Api.bearer(token).delete("/api:main/auth/identities/" + identity).then().statusCode(200)
                .body("unlinked", equalTo(true));
        assertEquals(0, identities(u));

        // an account made by GitHub has no password: its one identity is its last way in
        GitHubUser only = user(Api.uniqueEmail(), true);
        String made = exchange(codeOf(landing(startUrl("gh"), only.login()))).then().statusCode(200)
                .extract().path("authToken");
        long onlyIdentity = ((Number) Api.bearer(made).get("/api:main/auth/identities").then().statusCode(200)
                .extract().path("[0].id")).longValue();
        Api.bearer(made).delete("/api:main/auth/identities/" + onlyIdentity).then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("This is the account's last way to sign in: set a password or link another"
                        + " provider first."));
        assertEquals(1, identities(only));
        // once a second provider is linked, either may go, but not both
        FakeUpstreams.OIDC_USERS.put("second-" + only.id(), new FakeUpstreams.OidcUser("second-" + only.id(),
                "x-" + only.id() + "@example.com", true, List.of()));
        String link = Api.bearer(made).contentType(ContentType.JSON)
                .body(Map.of("redirect_uri", FakeUpstreams.APP_REDIRECT))
                .post("/api:main/auth/identities/untrusted/link").then().statusCode(200).extract().path("url");
        assertEquals(FakeUpstreams.APP_REDIRECT + "?linked=untrusted", landing(link, "second-" + only.id()));
        Api.bearer(made).delete("/api:main/auth/identities/" + onlyIdentity).then().statusCode(200);
        long second = ((Number) Api.bearer(made).get("/api:main/auth/identities").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].provider", equalTo("untrusted")).extract().path("[0].id"))
                .longValue();
        Api.bearer(made).delete("/api:main/auth/identities/" + second).then().statusCode(403);
    }
}
