package dev.authgate.security;

import java.security.Permission;
import java.util.Map;

import io.quarkus.security.StringPermission;

/**
 * Preconditions on extras other than the role, declared with Quarkus' {@code @PermissionsAllowed}:
 * <ul>
 * <li>{@code @PermissionsAllowed("tenant:7")} demands {@code extras.tenant} equal to 7 (several values: {@code "tenant:7,8"});</li>
 * <li>{@code @PermissionsAllowed("verified")} demands {@code extras.verified == true}.</li>
 * </ul>
 * A missing or other value is 403 {@code ERROR_CODE_ACCESS_DENIED}.
 */
final class ExtrasPermissions {

    private ExtrasPermissions() {
    }

    static boolean allows(Map<String, Object> extras, Permission required) {
        if (!(required instanceof StringPermission permission)) {
            return false;
        }
        Object value = extras.get(permission.getName());
        String actions = permission.getActions();
        if (value == null) {
            return false;
        }
        if (actions == null || actions.isEmpty()) {
            return Boolean.TRUE.equals(value);
        }
        for (String accepted : actions.split(",")) {
            if (accepted.strip().equals(String.valueOf(value))) {
                return true;
            }
        }
        return false;
    }
}
