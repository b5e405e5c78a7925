package dev.authgate.console;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.BrowserCookies;

/** A browser's part in the console, over plain HTTP: its two cookies, and forms posted with the page's CSRF token. */
final class ConsoleClient {

    /** Secure cookies (as everywhere but dev mode): the __Host- prefix, Path=/. */
    static final String SESSION = "__Host-authgate_console";
    static final String CSRF = "__Host-authgate_console_csrf";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final Map<String, String> cookies = new HashMap<>();
    String csrf;

    /** A GET as this browser; keeps the cookies it is given and the page's CSRF token. */
    Response get(String path) {
        Response r = request().get(path);
        keep(r);
        return r;
    }

    /** A form POST with the CSRF token of the last page. */
    Response post(String path, Object... fields) {
        Map<String, Object> form = new HashMap<>(fields(fields));
        form.put("csrf", csrf);
        return postRaw(path, form);
    }

    /** A form POST exactly as given: no CSRF token unless the fields hold one. */
    Response postRaw(String path, Map<String, Object> form) {
        RequestSpecification spec = request().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        Response r = form.isEmpty() ? spec.post(path) : spec.formParams(form).post(path);
        keep(r);
        return r;
    }

    /** Signs in through the form; answers the sign-in's response (303 on success). */
    Response signIn(String group, String email, String password) {
        get("/console/").then().statusCode(200);
        return post("/console/login", "group", group, "email", email, "password", password);
    }

    RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    private void keep(Response r) {
        BrowserCookies.keep(r, cookies);
        Matcher m = CSRF_FIELD.matcher(r.asString());
        if (m.find()) {
            csrf = m.group(1);
        }
    }

    static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
