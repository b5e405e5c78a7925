package dev.authgate.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Drives Debian's Chromium through chromium-driver: a real browser, seconds per page. Tagged {@code browser}:
 * {@code ./mvnw verify -Dgroups=browser} runs only these, {@code -DexcludedGroups=browser} all but these.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
public @interface Chromium {
}
