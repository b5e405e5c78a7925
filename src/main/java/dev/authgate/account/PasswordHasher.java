package dev.authgate.account;

import java.security.GeneralSecurityException;
import java.security.Provider;

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

    private final int cost;
    /** Verified against when an email is unknown, so that answer costs the same hashing work. */
    private volatile String decoy;

    public PasswordHasher(AuthgateConfig config) {
        this.cost = config.password().bcryptCost();
        if (cost < 4 || cost > 31) {
            throw new IllegalStateException("authgate.password.bcrypt-cost must be between 4 and 31");
        }
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

    /** Spends the work of one verification and answers false. */
    public boolean verifyNothing(String password) {
        String d = decoy;
        if (d == null) {
            decoy = d = hash("decoy password, never matches anything real");
        }
        verify(password, d);
        return false;
    }
}
