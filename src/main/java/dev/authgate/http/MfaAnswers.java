package dev.authgate.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.mfa.SecondFactors;
import dev.authgate.mfa.SignIn;

/** What the second-factor endpoints answer, and what a sign-in answers when the account has a factor. */
final class MfaAnswers {

    private MfaAnswers() {
    }

    /** {@code auth/login} (and the other one-factor sign-ins) for an account with an active factor: no authToken. */
    @RegisterForReflection
    record MfaRequired(@JsonProperty("mfa_required") boolean mfaRequired, @JsonProperty("mfa_token") String mfaToken,
            List<FactorRef> factors) {
    }

    @RegisterForReflection
    record FactorRef(String id, String type, String name) {
    }

    /** The answer of a one-factor sign-in: {@code {"authToken"}}, or the login step. */
    static Object of(SignIn signIn) {
        if (signIn instanceof SignIn.SecondFactor f) {
            return new MfaRequired(true, f.mfaToken(),
                    f.factors().stream().map(r -> new FactorRef(r.id(), r.type(), r.name())).toList());
        }
        return new AuthToken(((SignIn.Token) signIn).authToken());
    }

    @RegisterForReflection
    record Enrolment(String id, String secret, @JsonProperty("otpauth_uri") String otpauthUri,
            @JsonProperty("qr_svg") String qrSvg) {

        static Enrolment of(SecondFactors.Enrolment e) {
            return new Enrolment(e.id(), e.secret(), e.otpauthUri(), e.qrSvg());
        }
    }

    /** The activation's new token (aal 2) replaces the caller's, and with it any refresh family it had. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Activated(String authToken, @JsonProperty("recovery_codes") List<String> recoveryCodes,
            String refreshToken) implements RefreshTokenAnswer.Carrier {

        Activated(String authToken, List<String> recoveryCodes) {
            this(authToken, recoveryCodes, null);
        }

        @Override
        public Activated withRefreshToken(String refreshToken) {
            return new Activated(authToken, recoveryCodes, refreshToken);
        }
    }

    @RegisterForReflection
    record RecoveryCodes(@JsonProperty("recovery_codes") List<String> recoveryCodes) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Totp(String id, String name, @JsonProperty("created_at") long createdAt,
            @JsonProperty("last_used_at") Long lastUsedAt) {
    }

    @RegisterForReflection
    record Factors(List<Totp> totp, List<PasskeyResource.Passkey> passkeys,
            @JsonProperty("recovery_codes_left") long recoveryCodesLeft) {

        static Factors of(SecondFactors.Factors f, List<dev.authgate.passkey.Passkeys.Passkey> passkeys) {
            return new Factors(f.totp().stream().map(t -> new Totp(t.id(), t.name(), t.createdAt(), t.lastUsedAt()))
                    .toList(), passkeys.stream().map(PasskeyResource.Passkey::of).toList(), f.recoveryCodesLeft());
        }
    }

    /** {@code DELETE}s of factors: what was removed. */
    @RegisterForReflection
    record Removed(boolean removed) {
    }

    /** The administrators' reset: how many sessions of the record ended. */
    @RegisterForReflection
    record Reset(boolean reset, long revoked) {
    }
}
