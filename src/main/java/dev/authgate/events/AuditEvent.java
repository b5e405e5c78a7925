package dev.authgate.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The security events of the audit trail and of webhooks, by the name they are stored and sent under. The list (and
 * each event's detail fields) is docs/events.md; a name is part of the contract once shipped.
 */
public enum AuditEvent {
    SIGNUP("signup"),
    LOGIN("login"),
    LOGOUT("logout"),
    PASSWORD_CHANGED("password.changed"),
    PASSWORD_RESET_REQUESTED("password.reset_requested"),
    PASSWORD_RESET("password.reset"),
    EMAIL_VERIFIED("email.verified"),
    MAGIC_LINK_REQUESTED("magic_link.requested"),
    MAGIC_LINK_LOGIN("magic_link.login"),
    EMAIL_CHANGE_REQUESTED("email.change_requested"),
    EMAIL_CHANGED("email.changed"),
    EMAIL_CHANGE_CANCELLED("email.change_cancelled"),
    MFA_ENROLLED("mfa.enrolled"),
    MFA_ACTIVATED("mfa.activated"),
    MFA_VERIFIED("mfa.verified"),
    MFA_REMOVED("mfa.removed"),
    MFA_RESET("mfa.reset"),
    RECOVERY_CODES_REGENERATED("mfa.recovery_codes_regenerated"),
    RECOVERY_CODE_USED("mfa.recovery_code_used"),
    PASSKEY_ADDED("passkey.added"),
    PASSKEY_REMOVED("passkey.removed"),
    PASSKEY_LOGIN("passkey.login"),
    PROVIDER_LOGIN("identity.login"),
    IDENTITY_LINKED("identity.linked"),
    IDENTITY_UNLINKED("identity.unlinked"),
    SESSIONS_ENDED("sessions.ended"),
    QUICK_TOKEN("token.quick"),
    TOKEN_REFRESHED("token.refreshed"),
    REFRESH_REUSED("token.refresh_reused"),
    CLIENT_ISSUE("client.issue"),
    CLIENT_INTROSPECT("client.introspect"),
    CLIENT_REVOKE("client.revoke"),
    RECORD_CREATED("record.created"),
    RECORD_CHANGED("record.changed"),
    RECORD_DELETED("record.deleted"),
    CONSOLE_LOGIN("console.login"),
    CONSENT_GRANTED("oidc.consent_granted"),
    OIDC_TOKEN("oidc.token"),
    CONSENT_REVOKED("oidc.consent_revoked");

    private static final Map<String, AuditEvent> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(AuditEvent::wire, Function.identity()));

    private final String wire;

    AuditEvent(String wire) {
        this.wire = wire;
    }

    /** The stored and sent name, e.g. {@code mfa.enrolled}. */
    public String wire() {
        return wire;
    }

    public static Optional<AuditEvent> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
