package dev.authgate.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Starts separate processes (Authgate itself, its key tool, kubectl), seconds each. Tagged {@code process}:
 * {@code ./mvnw verify -Dgroups=process} runs only these, {@code -DexcludedGroups=process} all but these.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("process")
public @interface Processes {
}
