package dev.authgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithName;

/**
 * Everything an operator can set under {@code authgate.*}, each with its one default and check; the names are part
 * of the contract (docs/configuration.md).
 */
@ConfigMapping(prefix = "authgate")
public interface AuthgateConfig {

    Token token();

    /**
     * Per auth table: {@code authgate.tables.<table>.*}; a table with no entry has the defaults. Code reads them on
     * {@code account/AuthTable}, which {@code account/AuthTables} builds from this map at start.
     */
    @WithDefaults
    Map<String, Table> tables();

    /** Per API group: {@code authgate.groups.<group>.*}. */
    Map<String, Group> groups();

    Headers headers();

    Limits limits();

    /** The {@code extras.role} of administrators. */
    @WithDefault("administrator")
    String adminRole();

    /**
     * The least {@code aal} of an administrator's token for the records API and the console: 1 (any token of the
     * role) or 2 (the administrator proved a second factor).
     */
    @WithDefault("1")
    int adminAal();

    Password password();

    Throttle throttle();

    @WithName("quick-tokens")
    QuickTokens quickTokens();

    Bootstrap bootstrap();

    Sessions sessions();

    /**
     * The service's public base URL (e.g. {@code https://auth.example.com}) for the absolute URLs of
     * {@code /.well-known/oauth-authorization-server}; unset, they are formed from the request's scheme and Host.
     */
    Optional<String> publicUrl();

    Mfa mfa();

    /** {@code authgate.webauthn.*}: the relying party of passkeys (docs/mfa.md). */
    Webauthn webauthn();

    interface Webauthn {
        /** The RP ID: the registrable domain passkeys are bound to (e.g. {@code example.com}). Unset: no passkeys. */
        Optional<String> rpId();

        /** The name an authenticator shows beside the passkey. */
        @WithDefault("Authgate")
        String rpName();

        /** The exact origins accepted in clientDataJSON (e.g. {@code https://app.example.com}). Unset: no passkeys. */
        Optional<List<String>> origins();
    }

    interface Mfa {
        /** The issuer an authenticator app shows beside the account (the otpauth URI's {@code issuer}). */
        @WithDefault("Authgate")
        String issuer();
    }

    interface Token {
        /** A JWK Set of {@code oct} 256-bit keys: the first encrypts, all decrypt. */
        Optional<String> keys();

        @WithDefault("authgate")
        String issuer();
    }

    interface Table {
        /** Seconds; 0 means tokens never expire. */
        @WithDefault("86400")
        @PositiveOrZero
        long tokenExpiration();

        /** Whether {@code auth/signup} may create rows in this table. */
        @WithDefault("false")
        boolean signup();

        /** Live sessions per account; a new one past it ends the oldest (tokens that never expire pile up too). */
        @WithDefault("100")
        @Positive
        int maxSessions();

        /** {@code authgate.tables.<table>.email.*}: the accounts-by-email flows, each off unless turned on. */
        Email email();

        /** Sign-ins answer a {@code refreshToken} too, and {@code auth/refresh} exists (docs/sessions.md). */
        @WithDefault("false")
        boolean refreshTokens();

        /** Seconds a refresh family lives from its sign-in (not sliding): then the account signs in again. */
        @WithDefault("2592000")
        @Positive
        long refreshTokenExpiration();

        /** {@code authgate.tables.<table>.mfa.*}: second factors, off unless turned on. */
        TableMfa mfa();

        interface TableMfa {
            /** TOTP enrolment ({@code auth/mfa/totp}); factors already active keep working when turned off. */
            @WithDefault("false")
            boolean totp();

            /** Passkey registration ({@code auth/passkeys/register*}); needs {@code authgate.webauthn.*}. */
            @WithDefault("false")
            boolean passkeys();
        }

        interface Email {
            /** {@code auth/password-reset} and its confirm. */
            @WithDefault("false")
            boolean reset();

            /** {@code auth/verify-email}, its resend, and a verification mail on sign-up. */
            @WithDefault("false")
            boolean verify();

            /** {@code auth/magic-link} and its login (link token or 6-digit code). */
            @WithDefault("false")
            boolean magicLink();

            /** {@code auth/email-change} and its confirm. */
            @WithDefault("false")
            boolean change();
        }
    }

    interface Group {
        String table();

        @WithDefault("v1")
        List<String> branches();

        /** Tables whose records this group's administrators manage. */
        Optional<List<String>> manages();
    }

    interface Headers {
        /** Prefix of the alternative headers: {@code <prefix>-Authorization} and {@code <prefix>-Authorization-Only}. */
        @WithDefault("X-Xano")
        String prefix();
    }

    interface Limits {
        /**
         * Larger request bodies get 413 in the error shape: a declared length is refused before reading, a chunked
         * body while it is read. Must stay below {@code quarkus.http.limits.max-body-size}, Vert.x's own backstop,
         * which answers without the error shape (checked at start).
         */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    interface Sessions {
        /** How often expired sessions and attempts older than the throttle window are deleted. */
        @WithDefault("1h")
        @DurationMin(millis = 1)
        Duration purgeEvery();

        /**
         * How long after a rotation the rotated refresh token, presented again, gets the same new pair (a client's
         * identical retry) instead of ending its family as reuse.
         */
        @WithDefault("5S")
        Duration refreshGrace();
    }

    interface Throttle {
        /** Attempts count within this sliding window. */
        @WithDefault("15M")
        @DurationMin(millis = 1)
        Duration window();

        Login login();

        Signup signup();

        /** Failed authentications of service clients ({@code authgate.clients.*}). */
        Clients clients();

        /**
         * Proxies whose {@code X-Forwarded-For} is believed (IPs or CIDRs). Unset: the socket's address is the
         * client's, whatever the header says.
         */
        Optional<List<String>> trustedProxies();

        interface Login {
            /** Failed logins per (table, email) before 429. */
            @WithDefault("10")
            @Positive
            int maxFailures();

            /**
             * Failed logins per client address before 429. Higher than per account: many people can share an
             * address (NAT, an untrusted proxy), and one of them must not lock the others out.
             */
            @WithDefault("100")
            @Positive
            int maxFailuresPerAddress();

            /** Successful logins per (table, email) before 429: each writes a session. */
            @WithDefault("100")
            @Positive
            int maxSuccesses();
        }

        interface Signup {
            /**
             * Sign-up attempts per client address before 429: slows bulk account creation and probing of
             * "already in use" without getting in the way of a shared address's ordinary traffic.
             */
            @WithDefault("1000")
            @Positive
            int maxPerAddress();
        }

        interface Clients {
            /**
             * Failed authentications per client id before 429. High on purpose: secrets are long and random, so
             * this bounds a distributed guesser, and a low value would let anyone lock a service out.
             */
            @WithDefault("100")
            @Positive
            int maxFailures();

            /** Failed client authentications per client address before 429: slows a single prober. */
            @WithDefault("20")
            @Positive
            int maxFailuresPerAddress();
        }
    }

    interface Password {
        @WithDefault("10")
        @Min(4)
        @Max(31)
        int bcryptCost();
    }

    interface QuickTokens {
        /** Operator key for quick test tokens, at least 32 characters; unset means the endpoint does not exist. */
        Optional<String> secret();

        /** Wrong operator keys per client address within the throttle window; past it every key gets 404. */
        @WithDefault("10")
        @Positive
        int maxFailuresPerAddress();
    }

    interface Bootstrap {
        /** {@code AUTHGATE_BOOTSTRAP_ADMIN_EMAIL}: a staff administrator made at start if absent. */
        Optional<String> adminEmail();

        Optional<String> adminPassword();
    }
}
