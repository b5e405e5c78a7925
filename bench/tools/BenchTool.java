import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.quarkus.elytron.security.common.BcryptUtil;

import dev.authgate.token.Auth;
import dev.authgate.token.KeyRing;
import dev.authgate.token.TokenCodec;

/**
 * bench/run.sh's helper, run with the packaged application's classpath (source-file launch, no build step):
 *   java -cp CP BenchTool.java hash PASSWORD COST           -> prints one bcrypt hash ($2a$COST$...)
 *   java -cp CP BenchTool.java rate COST THREADS SECONDS    -> the machine's bcrypt ceiling
 *   java -cp CP BenchTool.java tokens ACCOUNTS COUNT FILE   -> COUNT authTokens of random seeded accounts
 *       (ids 1..ACCOUNTS, session jti = md5('bench' || id)::uuid as run.sh seeds them), encrypted with the
 *       application's own TokenCodec and the key in $AUTHGATE_TOKEN_KEYS: exactly what a login would return.
 *   java -cp CP BenchTool.java jwk KID                      -> a JWK Set with one new EC P-256 signing key (its
 *       private part included), for authgate.oidc.signing-keys in bench/oidc.sh (Nimbus makes it)
 * "rate" does what one login does (src/main/java/dev/authgate/security/PasswordHasher.verify): decode the
 * stored hash and verify a password against it, with Elytron, on THREADS threads for SECONDS seconds.
 */
public class BenchTool {
    private static final Provider PROVIDER = new WildFlyElytronPasswordProvider();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hash" -> System.out.println(BcryptUtil.bcryptHash(args[1], Integer.parseInt(args[2])));
            case "rate" -> rate(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "tokens" -> tokens(Long.parseLong(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "jwk" -> System.out.println(new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                    com.nimbusds.jose.jwk.Curve.P_256).keyID(args[1]).generate()).toString(false));
            default -> throw new IllegalArgumentException(
                    "hash PASSWORD COST | rate COST THREADS SECONDS | tokens ACCOUNTS COUNT FILE | jwk KID");
        }
    }

    static boolean verify(String password, String hash) throws Exception {
        PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
        BCryptPassword stored = (BCryptPassword) factory.translate(ModularCrypt.decode(hash));
        return factory.verify(stored, password.toCharArray());
    }

    static void rate(int cost, int threads, int seconds) throws Exception {
        String hash = BcryptUtil.bcryptHash("bench-password", cost);
        for (int i = 0; i < 3; i++) { // warm-up: JIT-compile the bcrypt loop
            verify("bench-password", hash);
        }
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (!verify("bench-password", hash)) {
                            throw new IllegalStateException("verify failed");
                        }
                        done.increment();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) t.start();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : ts) t.join();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("bcrypt_cost=%d threads=%d seconds=%.2f verifications=%d per_second=%.2f%n",
                cost, threads, s, done.sum(), done.sum() / s);
    }

    /** PostgreSQL's md5(text)::uuid. */
    static UUID md5Uuid(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (d[i] & 0xff);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (d[i] & 0xff);
        return new UUID(hi, lo);
    }

    static void tokens(long accounts, int count, Path file) throws Exception {
        TokenCodec codec = new TokenCodec(KeyRing.parse(Optional.ofNullable(System.getenv("AUTHGATE_TOKEN_KEYS")), false),
                Optional.ofNullable(System.getenv("AUTHGATE_TOKEN_ISSUER")).orElse("authgate"));
        long now = System.currentTimeMillis() / 1000;
        Random random = new Random();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (int i = 0; i < count; i++) {
                long id = 1 + (long) (random.nextDouble() * accounts);
                out.println(codec.encrypt(new Auth(id, "user", Map.of(), now, now + 86400, md5Uuid("bench" + id))));
            }
        }
    }
}
