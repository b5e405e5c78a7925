package dev.authgate.account;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.quarkus.elytron.security.common.BcryptUtil;

import dev.authgate.config.AuthgateConfig;

/** bcrypt through Elytron, at {@code authgate.password.bcrypt-cost}. */
@Singleton
public class PasswordHasher {

    private static final Provider PROVIDER = new WildFlyElytronPasswordProvider();

    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private final int cost;
    /**
     * Verified against when an email is unknown, so that answer costs the same hashing work as a known one: at the
     * cost most stored hashes have ({@link StoredHashCost}), which lags the configured cost after a change.
     */
    private volatile String decoy;

    @Inject
    public PasswordHasher(AuthgateConfig config) {
        this(config.password().bcryptCost());
    }

    PasswordHasher(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalStateException("authgate.password.bcrypt-cost must be between 4 and 31");
        }
        this.cost = cost;
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    public boolean verify(String password, String hash) {
        try {
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            BCryptPassword stored = (BCryptPassword) factory.translate(ModularCrypt.decode(hash));
            return factory.verify(stored, password.toCharArray());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * True when {@code hash} was made at another cost than the configured one (or is not bcrypt): after verifying
     * the password, login stores {@link #hash} of it, so a cost change reaches every account that logs in.
     */
    public boolean needsRehash(String hash) {
        return cost(hash) != cost;
    }

    /** The cost of a bcrypt hash ({@code $2a$10$...} is 10), or -1. */
    static int cost(String hash) {
        Matcher m = hash == null ? null : BCRYPT.matcher(hash);
        return m != null && m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Spends the work of one verification and answers false. */
    public boolean verifyNothing(String password) {
        String d = decoy;
        if (d == null) {
            decoy = d = BcryptUtil.bcryptHash(DECOY, cost);
        }
        verify(password, d);
        return false;
    }

    /** The decoy's cost from now on: that of most stored hashes. Out-of-range values are ignored. */
    void decoyCost(int storedCost) {
        if (storedCost >= 4 && storedCost <= 31 && storedCost != decoyCost()) {
            decoy = BcryptUtil.bcryptHash(DECOY, storedCost);
        }
    }

    int decoyCost() {
        String d = decoy;
        return d == null ? cost : cost(d);
    }

    private static final String DECOY = "decoy password, never matches anything real";
}
