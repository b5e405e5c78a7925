package dev.authgate.account;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Table;

import dev.authgate.config.AuthgateConfig;

/**
 * The auth tables, found from the Hibernate metamodel (every entity extending {@link Account}) and joined
 * with {@code authgate.tables.*}. Configuration that names an unknown table stops the start with a message.
 */
@Singleton
public class AuthTables {

    private final Map<String, AuthTable> tables;

    public AuthTables(EntityManagerFactory emf, AuthgateConfig config) {
        Map<String, AuthTable> found = new TreeMap<>();
        for (var type : emf.getMetamodel().getEntities()) {
            Class<?> javaType = type.getJavaType();
            if (Account.class.isAssignableFrom(javaType)) {
                String name = javaType.getAnnotation(Table.class).name().replace("\"", "");
                var settings = config.tables().get(name); // the defaults when not configured
                found.put(name, new AuthTable(name, type.getName(), javaType.asSubclass(Account.class),
                        settings.tokenExpiration(), settings.signup(), settings.maxSessions(), settings.email(),
                        settings.refreshTokens(), settings.refreshTokenExpiration()));
            }
        }
        for (String configured : config.tables().keySet()) { // only the configured keys, not the defaults
            if (!found.containsKey(configured)) {
                throw new IllegalStateException("authgate.tables." + configured + " names no auth table; known: "
                        + found.keySet());
            }
        }
        config.tables().forEach((name, t) -> {
            if (t.tokenExpiration() < 0) {
                throw new IllegalStateException("authgate.tables." + name + ".token-expiration must be >= 0 (0 = never)");
            }
        });
        this.tables = Map.copyOf(found);
    }

    public Optional<AuthTable> byName(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public AuthTable require(String name, String setting) {
        return byName(name).orElseThrow(() -> new IllegalStateException(
                setting + " = " + name + " names no auth table; known: " + names()));
    }

    public Collection<AuthTable> all() {
        return tables.values();
    }

    public String names() {
        return tables.keySet().stream().sorted().collect(Collectors.joining(", "));
    }
}
