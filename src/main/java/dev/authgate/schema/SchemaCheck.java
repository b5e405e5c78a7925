package dev.authgate.schema;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the database has this build's schema ({@link Schema}); DOWN says what is missing and what to run. */
@Readiness
@ApplicationScoped
public class SchemaCheck implements HealthCheck {

    static final String NAME = "schema";

    private final Schema schema;

    public SchemaCheck(Schema schema) {
        this.schema = schema;
    }

    @Override
    public HealthCheckResponse call() {
        if (schema.migrated()) {
            return HealthCheckResponse.named(NAME).up().withData("version", Schema.LATEST).build();
        }
        return HealthCheckResponse.named(NAME).down().withData("needs", "V" + Schema.LATEST)
                .withData("problem", schema.problem()).build();
    }
}
