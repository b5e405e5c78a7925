package dev.authgate.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import dev.authgate.account.AuthTables;
import dev.authgate.config.AuthgateConfig;

/** The API groups of {@code authgate.groups.*}, addressed as {@code /api:{group}[:{branch}]}. */
@Singleton
public class ApiGroups {

    static final String NOT_FOUND = "Unable to locate request.";

    /**
     * The group segment of a resource path: {@code /api:main} or {@code /api:main:v1}. Clients that percent-encode
     * the colons (rest-assured does) are matched too; the parameter arrives decoded.
     */
    public static final String PATH = "/{api:api(?::|%3[aA])[^/]+}";
    private static final String PREFIX = "api:";

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

    /** {@code main} or {@code main:v1}; an unknown group or branch is a 404 in the error shape. */
    public ApiGroup resolve(String segment) {
        return find(segment).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
    }

    public Optional<ApiGroup> find(String segment) {
        if (segment.startsWith(PREFIX)) {
            segment = segment.substring(PREFIX.length());
        }
        int colon = segment.indexOf(':');
        String name = colon < 0 ? segment : segment.substring(0, colon);
        String branch = colon < 0 ? null : segment.substring(colon + 1);
        Entry entry = groups.get(name);
        if (entry == null || (branch != null && !entry.branches().contains(branch))) {
            return Optional.empty();
        }
        ApiGroup g = entry.group();
        return Optional.of(branch == null ? g : new ApiGroup(g.name(), branch, g.table(), g.manages()));
    }

    /** The group a request path addresses, if it addresses one. */
    public Optional<ApiGroup> ofPath(String path) {
        if (path == null || path.length() < 2) {
            return Optional.empty();
        }
        int end = path.indexOf('/', 1);
        String segment = path.substring(1, end < 0 ? path.length() : end).replace("%3A", ":").replace("%3a", ":");
        return segment.startsWith(PREFIX) ? find(segment) : Optional.empty();
    }
}
