package dev.authgate.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import dev.authgate.account.AuthTables;
import dev.authgate.config.AuthgateConfig;

/** The API groups of {@code authgate.groups.*}, each bound to an auth table; looked up as {@code main} or {@code main:v1}. */
@Singleton
public class ApiGroups {

    private record Entry(ApiGroup group, Set<String> branches) {
    }

    private final Map<String, Entry> groups = new HashMap<>();

    public ApiGroups(AuthgateConfig config, AuthTables tables) {
        config.groups().forEach((name, g) -> {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalStateException("authgate.groups." + name + ": group names are letters, digits, _ and -");
            }
            var table = tables.require(g.table(), "authgate.groups." + name + ".table");
            var manages = g.manages().orElse(List.of()).stream()
                    .map(t -> tables.require(t, "authgate.groups." + name + ".manages")).toList();
            groups.put(name, new Entry(new ApiGroup(name, null, table, manages), Set.copyOf(g.branches())));
        });
    }

    /** Every group, without a branch, by name. */
    public List<ApiGroup> all() {
        return groups.values().stream().map(Entry::group).sorted(java.util.Comparator.comparing(ApiGroup::name)).toList();
    }

    /** {@code main} or {@code main:v1}; empty for an unknown group or branch. */
    public Optional<ApiGroup> find(String groupAndBranch) {
        int colon = groupAndBranch.indexOf(':');
        String name = colon < 0 ? groupAndBranch : groupAndBranch.substring(0, colon);
        String branch = colon < 0 ? null : groupAndBranch.substring(colon + 1);
        Entry entry = groups.get(name);
        if (entry == null || (branch != null && !entry.branches().contains(branch))) {
            return Optional.empty();
        }
        ApiGroup g = entry.group();
        return Optional.of(branch == null ? g : new ApiGroup(g.name(), branch, g.table(), g.manages()));
    }
}
