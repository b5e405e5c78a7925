package dev.authgate.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.gate.GateRules;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** The workbench's curl commands for the gate: one per rule of the token's table, each a request the gate answers. */
@QuarkusTest
@TestProfile(GateRules.class)
class ConsoleGateCurlsTest {

    private static final Pattern GATE_CURL = Pattern.compile(
            "<h4>gate rule ([a-z-]+) \\(([^)]*)\\)</h4>\\s*<pre class=\"curl\"><code>curl -si (\\S+)/gate/check "
                    + "-H &#39;X-Original-Method: ([A-Z]+)&#39; -H &#39;X-Original-URI: ([^&]+)&#39; "
                    + "-H &#39;Authorization: Bearer ([^&]+)&#39;</code></pre>");

    @Test
    void eachRuleOfTheTokensTableHasACurlThatTheGateAnswers() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        ConsoleClient c = ConsoleTest.admin();
        c.get("/console/staff/workbench").then().statusCode(200);
        String page = c.post("/console/staff/workbench/mint", "table", "user", "id", Long.toString(id))
                .then().statusCode(200).extract().asString();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        Matcher m = GATE_CURL.matcher(page);
        while (m.find()) {
            // the headers of authgate.gate.forwarded (nginx, the default, here)
            int status = given().header("X-Original-Method", m.group(4)).header("X-Original-URI", m.group(5))
                    .header("Authorization", "Bearer " + m.group(6)).get("/gate/check").statusCode();
            statuses.put(m.group(1) + " " + m.group(4) + " " + m.group(5), status);
        }
        // every rule of group main (table user), none of staff's; a quick token has no role, no extras and aal 1
        assertEquals(Map.of("admin GET /api/admin/example", 403, "admin-delete DELETE /api/admin/example", 403,
                "api GET /api/example", 200, "public GET /public/example", 200, "reports GET /api/reports/example", 403,
                "tenant GET /tenants/7/example", 403,
                "second-factor GET /account/security/example", 403), // aal=2: a quick token is aal 1
                statuses, page);
        assertTrue(page.contains("curl -s http://localhost:"), "the curl for auth/me uses the address the browser used");
    }
}
