package dev.authgate.oidc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import dev.authgate.federation.CookieJar;

/**
 * A browser without JavaScript for the sign-in pages (Authgate's and Keycloak's): one cookie jar, redirects followed
 * by hand until a page or a URL the test wants, forms read with jsoup and posted with their hidden fields.
 */
final class PageBrowser {

    static final int MAX_REDIRECTS = 20;

    final CookieJar jar = new CookieJar();

    /** Where a walk stopped: a page (200 or an error status) or a redirect to where the test wanted to stop. */
    record Stop(String url, HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String location() {
            return response.headers().firstValue("location").orElse(null);
        }

        Document page() {
            return Jsoup.parse(response.body(), url);
        }
    }

    /** GET, then follows redirects until a page, or a Location the predicate accepts (not fetched: nothing listens). */
    Stop open(String url, Predicate<String> stopAt) throws IOException, InterruptedException {
        return follow(url, jar.get(url), stopAt);
    }

    /** Posts the form chosen by the selector with its own fields, these set over them; then follows redirects. */
    Stop submit(Stop at, String formSelector, Map<String, String> fields, Predicate<String> stopAt)
            throws IOException, InterruptedException {
        Element form = at.page().selectFirst(formSelector);
        if (form == null) {
            fail("no form " + formSelector + " on " + at.url() + ":\n" + at.response().body());
        }
        Map<String, String> body = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            String type = input.attr("type");
            if (!type.equals("submit") && !type.equals("button") && !(type.equals("checkbox") && !input.hasAttr("checked"))) {
                body.put(input.attr("name"), input.val());
            }
        }
        body.putAll(fields);
        String action = form.absUrl("action").isEmpty() ? at.url() : form.absUrl("action");
        HttpResponse<String> posted = jar.send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(body))));
        return follow(action, posted, stopAt);
    }

    private Stop follow(String url, HttpResponse<String> response, Predicate<String> stopAt)
            throws IOException, InterruptedException {
        for (int i = 0; i < MAX_REDIRECTS; i++) {
            int status = response.statusCode();
            if (status < 300 || status >= 400) {
                return new Stop(url, response);
            }
            String location = URI.create(url).resolve(response.headers().firstValue("location").orElseThrow())
                    .toString();
            if (stopAt.test(location)) {
                return new Stop(url, response);
            }
            url = location;
            response = jar.get(url);
        }
        fail("more than " + MAX_REDIRECTS + " redirects, the last to " + url);
        return null;
    }

    static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static void assertPage(Stop stop, int status, String contains) {
        assertTrue(stop.status() == status && stop.response().body().contains(contains),
                "expected " + status + " with '" + contains + "' at " + stop.url() + ", got " + stop.status() + ":\n"
                        + stop.response().body());
    }
}
