package dev.authgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;

import dev.authgate.support.PostgresResource;

/** A pool with no free connection is a 503 that recovers by itself, never a 500: pinned to Agroal's own words. */
class PoolExhaustionTest {

    @Test
    void anExhaustedPoolIsServiceUnavailable() throws SQLException {
        var config = new java.util.HashMap<String, String>();
        config.put(AgroalPropertiesReader.JDBC_URL, PostgresResource.jdbcUrl());
        config.put(AgroalPropertiesReader.MAX_SIZE, "1");
        config.put(AgroalPropertiesReader.ACQUISITION_TIMEOUT_MS, Long.toString(Duration.ofMillis(200).toMillis()));
        try (AgroalDataSource pool = AgroalDataSource.from(new AgroalPropertiesReader().readProperties(config));
                Connection held = pool.getConnection()) {
            SQLException exhausted = assertThrows(SQLException.class, pool::getConnection);
            assertEquals(503, ErrorMapper.unexpectedFailure(new RuntimeException(exhausted)).status(),
                    "Agroal said: " + exhausted.getMessage());
        }
    }
}
