package dev.authgate.group;

import java.util.List;

import dev.authgate.account.AuthTable;
import dev.authgate.failure.Failure;

/** An API group as addressed by a request ({@code main} or {@code main:v1}): bound to one auth table. */
public record ApiGroup(String name, String branch, AuthTable table, List<AuthTable> manages) {

    /** The table of {@code /api:G/{table}} when this group's administrators manage it; else an unknown route. */
    public AuthTable managed(String tableName) {
        return manages.stream().filter(t -> t.name().equals(tableName)).findFirst()
                .orElseThrow(Failure::unknownRoute);
    }
}
