package dev.authgate.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * What an operator switches on beyond the defaults: quick test tokens, a third auth table (customer, group crm,
 * managed by staff), refresh tokens for user (staff keeps the default, off) and a retired token key still accepted
 * beside the current one. One Quarkus start for the tests of any of them: none of them minds the others.
 */
public class OperatorProfile implements QuarkusTestProfile {

    public static final String OPERATOR_KEY = "operator-key-for-tests-32-characters-or-more";
    /** The token key before the current one ({@link Jwe#TEST_KID}): verifies and unseals, never seals. */
    public static final String RETIRED_KID = "retired-" + Long.toHexString(System.nanoTime());
    public static final byte[] RETIRED_KEY = Jwe.randomKey();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "authgate.groups.crm.table", "customer",
                "authgate.groups.staff.manages", "user,staff,customer",
                "authgate.tables.customer.signup", "true",
                "authgate.tables.user.refresh-tokens", "true",
                "authgate.quick-tokens.secret", OPERATOR_KEY,
                "authgate.token.keys", Jwe.jwks(Jwe.TEST_KID, Jwe.TEST_KEY, RETIRED_KID, RETIRED_KEY));
    }
}
