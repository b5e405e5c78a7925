package dev.authgate.http.console;

import java.util.List;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.group.ApiGroup;
import dev.authgate.token.Auth;

/** The administrator signed in to the console of a group: their token's $auth and record. */
record Admin(ApiGroup group, Auth auth, AccountView record) {

    List<String> tables() {
        return group.manages().stream().map(AuthTable::name).toList();
    }

    /** A table this group manages; else an unknown route, as the records API answers. */
    AuthTable managed(String table) {
        return group.managed(table);
    }

    /** For logs: which account acted, never its token. */
    String who() {
        return auth.dbtable() + ":" + auth.id();
    }
}
