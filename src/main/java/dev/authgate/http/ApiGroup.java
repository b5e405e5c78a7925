package dev.authgate.http;

import java.util.List;

import dev.authgate.account.AuthTable;

/** An API group as addressed by a request ({@code /api:main} or {@code /api:main:v1}): bound to one auth table. */
public record ApiGroup(String name, String branch, AuthTable table, List<AuthTable> manages) {

    /** The table of {@code /api:G/{table}} when this group's administrators manage it. */
    public AuthTable managed(String tableName) {
        return manages.stream().filter(t -> t.name().equals(tableName)).findFirst()
                .orElseThrow(() -> ApiException.notFound(ApiGroups.NOT_FOUND));
    }
}
