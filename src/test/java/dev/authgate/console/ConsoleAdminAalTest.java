package dev.authgate.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.mfa.AdminAalTest;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;

/**
 * {@code authgate.admin-aal=2}: the console's sign-in takes the administrator's second factor, and an administrator
 * without one is told what the console needs (their one-factor token ended at once).
 */
@QuarkusTest
@TestProfile(AdminAalTest.Aal2.class)
class ConsoleAdminAalTest {

    /** The bootstrap administrator's token, raised to aal 2 (it has no factor) so that it may use the records API. */
    static String aal2Token() {
        return Jwe.rewritten(ConsoleFactorTest.bootstrapToken(), Map.of("aal", 2, "amr", List.of("pwd", "otp")));
    }

    @Test
    void anAdministratorWithAFactorSignsInWithTheCode() {
        ConsoleFactorTest.Enrolled a = ConsoleFactorTest.withTotp(ConsoleFactorTest.staff(aal2Token(), "administrator"));
        ConsoleClient c = ConsoleFactorTest.passwordStep(a.email());
        c.post("/console/login/code", "group", "staff", "code", a.wrongCode()).then().statusCode(400);
        c.post("/console/login/code", "group", "staff", "code", a.code(1)).then().statusCode(303)
                .header("Location", endsWith("/console/staff/"));
        assertEquals(2L, ((Number) ConsoleFactorTest.claims(c).get("aal")).longValue());
        c.get("/console/staff/records/user").then().statusCode(200);
        c.get("/console/staff/passkeys").then().statusCode(200);
    }

    @Test
    void anAdministratorWithoutAFactorIsToldWhatTheConsoleNeeds() {
        String email = ConsoleFactorTest.staff(aal2Token(), "administrator");
        ConsoleClient c = new ConsoleClient();
        c.signIn("staff", email, Api.PASSWORD).then().statusCode(403)
                .body(containsString("The console needs a second factor (authgate.admin-aal=2)"));
        assertFalse(c.cookies.containsKey(ConsoleClient.SESSION));
        assertEquals(0, ConsoleFactorTest.sessions(email), "the one-factor token is ended at once");
        c.get("/console/staff/records/user").then().statusCode(303);
    }
}
