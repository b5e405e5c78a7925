package dev.authgate.bench;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.authgate.token.Auth;
import dev.authgate.token.InvalidTokenException;
import dev.authgate.token.KeyRing;
import dev.authgate.token.TokenCodec;

/**
 * The application's own token codec, per core (one thread): what one login/signup spends on encrypting its
 * authToken and what every authenticated request spends on decrypting it. A256KW + A256CBC-HS512, one key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx128m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenCodecBenchmark {

    private static final String JWKS =
            "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-1\",\"k\":\"3q2-7wX0bK9mZ1yQv8sT4nL6pR2uJ5hC0aE7dG3fB1k\"}]}";

    private TokenCodec codec;
    private Auth auth;
    private String token;
    private long now;

    @Setup
    public void setup() throws InvalidTokenException {
        codec = new TokenCodec(KeyRing.parse(Optional.of(JWKS), false), "authgate");
        now = System.currentTimeMillis() / 1000;
        // What a login for a user without role or extras puts in its token (TokenService.issue).
        auth = new Auth(123456, "user", Map.of(), now, now + 86400, UUID.randomUUID());
        token = codec.encrypt(auth);
        codec.decrypt(token, now); // fail fast if the round trip is broken
    }

    @Benchmark
    public String encrypt() {
        return codec.encrypt(auth);
    }

    @Benchmark
    public Auth decrypt() throws InvalidTokenException {
        return codec.decrypt(token, now);
    }
}
