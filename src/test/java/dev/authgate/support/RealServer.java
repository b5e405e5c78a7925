package dev.authgate.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Runs a real server beside Authgate: NGINX, Caddy, HAProxy, Keycloak, Node or an example app. Tagged {@code server}:
 * {@code ./mvnw verify -Dgroups=server} runs only these, {@code -DexcludedGroups=server} all but these.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("server")
public @interface RealServer {
}
