package dev.authgate.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The classes Caffeine generates for our caches' shapes, which it loads by name: a native image has them only when
 * registered. Quarkus' {@code quarkus-caffeine} registers a fixed list that lacks some shapes (a maximum size with
 * expiry after access or a variable expiry needs {@code PSAMS}: the executable failed to start without it). The
 * names follow Caffeine's encoding (key and value strength, expiry, maximum); {@code CaffeineNativeTest} reads
 * the classes of every live cache and fails when one is missing here.
 */
@RegisterForReflection(classNames = {
        "com.github.benmanes.caffeine.cache.SSMSA", "com.github.benmanes.caffeine.cache.PSAMS",
        "com.github.benmanes.caffeine.cache.SSMSW", "com.github.benmanes.caffeine.cache.PSWMS",
}, methods = true, fields = true)
public final class CaffeineClasses {

    private CaffeineClasses() {
    }
}
