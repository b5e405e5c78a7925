package dev.authgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each spelling trick resolves to the path the upstream serves, or is refused. Plain JUnit. */
class ForwardedPathTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "/admin/users                 | /admin/users",
            "/admin/users?x=1&y=/public   | /admin/users",       // query
            "/admin/users/                | /admin/users",       // trailing slash
            "//admin///users              | /admin/users",       // duplicate slashes
            "/%61dmin/users               | /admin/users",       // encoded letter
            "http://host:8080/admin/users | /admin/users",       // absolute form
            "/caf%C3%A9                   | /café",
            "/                            | /",
            "/?q                          | /",
    })
    void resolves(String uri, String path) throws Exception {
        assertEquals(path, ForwardedPath.display(ForwardedPath.segments(uri)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/public%2F..%2Fadmin/users",  // an encoded slash: one segment here, three to some upstreams
            "/public%2fx",
            "/public%5C..%5Cadmin",        // encoded backslash
            "/public\\..\\admin",          // backslash
            "/admin%252Fusers",            // double encoding
            "/public;x=1/../admin",        // path parameters
            "/admin;/users",
            "/admin%3B/users",
            "/admin%00/users",             // control characters
            "/admin%0d%0a/users",
            "/admin%zz",                   // malformed escapes
            "/admin%4",
            "/admin%C3",                   // not UTF-8
            "/admin#frag",
            // dot segments, raw or encoded (issue 23, finding 2): an upstream may resolve them or not
            "/public/../admin/users",
            "/./admin/./users",
            "/public/%2e%2e/admin/users",
            "/public/%2E./admin/users",
            "/../../admin/users",
            "/admin/users/..",
            "/api/admin/secret/%2e%2e/%2e%2e/x",
            "/api/%2e/admin",
            "admin/users",
            "",
    })
    void refuses(String uri) {
        assertThrows(ForwardedPath.Refused.class, () -> ForwardedPath.segments(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/admin/users", "/admin/users/", "//admin//users" })
    void segmentsAreDecoded(String uri) throws Exception {
        assertEquals(List.of("admin", "users"), ForwardedPath.segments(uri));
    }
}
