package dev.authgate.http.console;

import java.util.List;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;

import dev.authgate.account.AccountView;
import dev.authgate.records.RecordPage;
import dev.authgate.throttle.Lockouts.Lockout;
import dev.authgate.session.SessionView;

/** The console's pages: templates/console/*.html, checked against these types when the application is built. */
@CheckedTemplate(basePath = "console")
class Pages {

    /** What the record form shows: the record's values, or what was sent when the change was refused. */
    record RecordForm(String name, String email, String role, String extras) {
    }

    /** A token the workbench minted, and how to use it. */
    record Minted(String table, long id, String token, List<Curl> curls) {
    }

    record Curl(String label, String command) {
    }

    /** A pasted token as the service reads it; the details only for tables this group manages. */
    record Inspection(String verdict, String dbtable, Long id, String extras, String issued, String expires, String jti,
            boolean live, Integer aal, String amr) {
    }

    /** {@code {fmt:query(search)}}: a query parameter's value. */
    @TemplateExtension(namespace = "fmt")
    static String query(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code {fmt:time(millis)}}: epoch milliseconds as an ISO instant, to the second; null is never. */
    @TemplateExtension(namespace = "fmt")
    static String time(Long millis) {
        return millis == null ? "never" : Instant.ofEpochSecond(millis / 1000).toString();
    }

    static native TemplateInstance signin(String csrf, List<String> groups, String group, String email, String error);

    static native TemplateInstance factor(String csrf, String group, boolean code, boolean passkey, String error);

    static native TemplateInstance passkeys(Frame frame, java.util.List<dev.authgate.passkey.Passkeys.Passkey> passkeys,
            String notice, String error);

    static native TemplateInstance expired(String csrf);

    static native TemplateInstance error(Frame frame, int status, String message);

    static native TemplateInstance records(Frame frame, String table, String search, RecordPage<AccountView> page);

    static native TemplateInstance record(Frame frame, String table, AccountView record, RecordForm form,
            List<SessionView> sessions, dev.authgate.mfa.SecondFactors.Factors factors,
            List<dev.authgate.passkey.Passkeys.Passkey> passkeys, List<dev.authgate.federation.Identity> identities,
            String notice, String error);

    static native TemplateInstance audit(Frame frame, AuditPages.Filters filters, String query, List<String> events,
            RecordPage<dev.authgate.events.AuditEntry> page);

    static native TemplateInstance deliveries(Frame frame, List<dev.authgate.events.Deliverer.Failed> failed,
            String notice);

    static native TemplateInstance lockouts(Frame frame, List<Lockout> lockouts, String notice);

    static native TemplateInstance workbench(Frame frame, boolean quickTokens, String table, String id, Minted minted,
            Inspection inspection, String error);
}
