package dev.authgate.security;

import java.security.SecureRandom;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The process's one {@link SecureRandom}, made at run time when first injected. Never hold one in a static field:
 * a native image would carry an instance seeded at build time (the build refuses it, or, worse, every process of
 * every deployment shares its bytes). {@code NativeSafetyTest} holds the rule.
 */
@Singleton
public class Randomness {

    @Produces
    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
