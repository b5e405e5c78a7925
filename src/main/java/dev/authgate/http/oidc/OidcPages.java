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
     */
    static native TemplateInstance signin(String csrf, String group, String client, String authorization, String email,
            String error);

    /** A request that cannot be answered to the client: an unknown client, a redirect URI it did not register. */
    static native TemplateInstance error(int status, String message);
}
