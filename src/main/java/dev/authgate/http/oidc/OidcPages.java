package dev.authgate.http.oidc;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The provider's pages: templates/oidc/*.html, checked against these types when the application is built. */
@CheckedTemplate(basePath = "oidc")
class OidcPages {

    /**
     * The sign-in form.
     *
     * @param authorization the authorization request's query string, sent back with the form and checked again
     * @param encoded the same, URL-encoded, for the provider buttons' links
     * @param providers the group's upstream providers, a button each
     * @param magic whether the table's magic link is on (a code by mail)
     */
    static native TemplateInstance signin(String csrf, String group, String client, String authorization,
            String encoded, java.util.List<String> providers, boolean magic, String email, String error);

    /** The mailed code's step: the code sent to {@code email}. */
    static native TemplateInstance magic(String csrf, String group, String client, String authorization, String email,
            String error);

    /** The second step: a TOTP or recovery code ({@code code}), a passkey ({@code passkey}), or both. */
    static native TemplateInstance factor(String csrf, String group, String client, String authorization, boolean code,
            boolean passkey, String error);

    /** What a client that is not first-party asks for, to allow or deny. */
    static native TemplateInstance consent(String csrf, String group, String client, String authorization, String email,
            java.util.List<String> scopes);

    /** end-session: the question (without a valid id_token_hint), or that it is done. */
    static native TemplateInstance signout(String csrf, String group, String client, String request, boolean done);

    /** A request that cannot be answered to the client: an unknown client, a redirect URI it did not register. */
    static native TemplateInstance error(int status, String message);
}
