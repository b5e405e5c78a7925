package dev.authgate.support;

import java.util.Map;

import io.restassured.response.Response;

/** A browser's cookie jar for rest-assured tests: what a response sets is kept, what it clears is dropped. */
public final class BrowserCookies {

    private BrowserCookies() {
    }

    public static void keep(Response r, Map<String, String> cookies) {
        r.getDetailedCookies().forEach(c -> {
            if (c.getValue().isEmpty() || (c.hasMaxAge() && c.getMaxAge() == 0)) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
    }
}
