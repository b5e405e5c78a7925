package dev.authgate.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.OperatorProfile;
import dev.authgate.support.TestDatabase;

/** The console's audit feed, a record's history, and failed webhook deliveries with "retry". */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class ConsoleAuditTest {

    @Test
    void theFeedFiltersAndARecordsHistoryIsLinked() {
        var a = ConsoleTest.Account.create();
        Api.bearer(a.token()).contentType(ContentType.JSON).body(Map.of("scope", "local"))
                .post("/api:main/auth/logout").then().statusCode(200);
        ConsoleClient c = ConsoleTest.admin();
        c.get(a.page()).then().statusCode(200)
                .body(containsString("/console/staff/audit?table=user&amp;id=" + a.id() + "\">History</a>"));
        c.get("/console/staff/audit?table=user&id=" + a.id()).then().statusCode(200)
                .body(containsString("logout")).body(containsString("signup"))
                .body(containsString("2 events, newest first"));
        c.get("/console/staff/audit?table=user&id=" + a.id() + "&event=signup").then().statusCode(200)
                .body(containsString("1 event, newest first")).body(not(containsString("<td>logout</td>")));
        // the console's own sign-in is an event, with the group
        c.get("/console/staff/audit?event=console.login").then().statusCode(200)
                .body(containsString("console.login")).body(containsString("staff"));
        // a wrong filter is the API's refusal, in the console's error page
        c.get("/console/staff/audit?event=nope").then().statusCode(400).body(containsString("not an audit event"));
        c.get("/console/staff/audit?table=nothing").then().statusCode(404);
    }

    @Test
    void aFailedDeliveryIsListedAndRetried() {
        var a = ConsoleTest.Account.create();
        long row = TestDatabase.scalar("insert into auth_webhook_outbox (webhook, msg_id, event, dbtable, account_id, "
                + "payload, status, attempts, last_error) values ('crm', 'msg_x" + a.id() + "', 'signup', 'user', ?, "
                + "'{}', 'failed', 17, 'status 503') returning id", a.id());
        ConsoleClient c = ConsoleTest.admin();
        c.get("/console/staff/deliveries").then().statusCode(200).body(containsString("status 503"))
                .body(containsString("/console/staff/deliveries/" + row + "/retry"));
        c.post("/console/staff/deliveries/" + row + "/retry").then().statusCode(303)
                .header("Location", endsWith("/console/staff/deliveries?notice=retried"));
        // queued again from zero (the deliverer may already have tried it once: "crm" is no webhook here)
        assertTrue(TestDatabase.scalar("select attempts from auth_webhook_outbox where id = ?", row) <= 1);
        // without the CSRF token, or a second time once it is no longer failed, nothing happens
        c.postRaw("/console/staff/deliveries/" + row + "/retry", Map.of()).then().statusCode(403);
        TestDatabase.update("update auth_webhook_outbox set status = 'delivered' where id = ?", row);
        c.post("/console/staff/deliveries/" + row + "/retry").then().statusCode(404);
    }
}
