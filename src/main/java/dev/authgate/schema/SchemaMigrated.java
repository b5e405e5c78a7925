package dev.authgate.schema;

/** Fired once, when {@link Schema} first finds the schema this build needs (at start, or after a migration Job). */
public record SchemaMigrated(String version) {
}
