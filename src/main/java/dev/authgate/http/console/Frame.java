package dev.authgate.http.console;

import java.util.List;

/** What every signed-in page shows around its content: where you are, the navigation, the CSRF token. */
public record Frame(String title, String group, List<String> tables, String current, String admin, String csrf) {
}
