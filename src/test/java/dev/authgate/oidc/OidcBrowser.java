package dev.authgate.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import dev.authgate.support.BrowserCookies;

/**
 * A browser at the provider, over plain HTTP: its cookies (Secure ones too, kept by hand), and the sign-in page's
 * form followed as a browser would: its action, its hidden fields, the email and password typed in.
 */
public final class OidcBrowser {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">(.*?)</form>",
            Pattern.DOTALL);
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    public final Map<String, String> cookies = new HashMap<>();

    /** A GET as this browser, no redirect followed; the query is sent as given (already encoded). */
    public Response get(String pathAndQuery) {
        Response r = request().urlEncodingEnabled(false).get(pathAndQuery);
        keep(r);
        return r;
    }

    /** Posts the page's form with these fields typed in (and its hidden ones as they are). */
    public Response submit(Response page, Map<String, String> typed) {
        Matcher form = FORM.matcher(page.asString());
        assertTrue(form.find(), "the page has a form: " + page.asString());
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(form.group(2));
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        fields.putAll(typed);
        Response r = request().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(fields)
                .post(unescape(form.group(1)));
        keep(r);
        return r;
    }

    /** Signs in on the page this authorization request shows; answers the redirect to the client. */
    public Response signIn(String authorizePath, String email, String password) {
        Response page = get(authorizePath);
        assertEquals(200, page.statusCode(), page.asString());
        return submit(page, Map.of("email", email, "password", password));
    }

    RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    private void keep(Response r) {
        BrowserCookies.keep(r, cookies);
    }

    /** Qute escapes attribute values: &amp; &quot; &lt; &gt; &#39;. */
    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    // ---------------------------------------------------------------- the relying party's side

    /** An authorization request's path and query. */
    public static String authorize(String group, Map<String, String> params) {
        StringBuilder path = new StringBuilder("/oidc/" + group + "/authorize");
        String sep = "?";
        for (var e : params.entrySet()) {
            path.append(sep).append(e.getKey()).append('=').append(enc(e.getValue()));
            sep = "&";
        }
        return path.toString();
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The query parameters of a redirect's Location. */
    public static Map<String, String> query(String location) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = URI.create(location).getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** A PKCE pair: the verifier, and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {
        public static Pkce create() {
            CodeVerifier verifier = new CodeVerifier();
            return new Pkce(verifier.getValue(), CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        }
    }
}
