package dev.authgate.account;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * The one-time secrets mailed to an account (table {@code auth_email_secret}), as every event that may change who
 * controls the account sees them.
 */
@Singleton
public class MailedSecrets {

    /** The notice's way back to the old address: it outlives every other secret (see {@link #voidAll}). */
    public static final String CANCEL_PURPOSE = "email-change-cancel";

    private final EntityManager em;

    public MailedSecrets(EntityManager em) {
        this.em = em;
    }

    /**
     * Voids every live secret mailed for the account: a pending email change, reset and magic links, codes,
     * verification links. Called by a password reset or change, logout everywhere, an administrator's change of
     * email, password or role, a first proof of the address, and a factor reset: a link already in an attacker's
     * hands must not outlive the owner taking the account back. The links that cancel an email change stay, so an
     * attacker who took the address and then resets the password cannot silence the old address.
     */
    @Transactional(TxType.MANDATORY)
    public int voidAll(String dbtable, long accountId) {
        return em.createNativeQuery("update auth_email_secret set used_at = now() where dbtable = ?1"
                + " and account_id = ?2 and used_at is null and purpose <> ?3")
                .setParameter(1, dbtable).setParameter(2, accountId).setParameter(3, CANCEL_PURPOSE).executeUpdate();
    }
}
