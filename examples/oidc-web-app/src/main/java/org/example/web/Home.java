package org.example.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.Authenticated;

/** The app's one protected page: who Authgate says signed in, from the ID token quarkus-oidc verified. */
@Path("/")
public class Home {

    @Inject
    @IdToken
    JsonWebToken idToken;

    @GET
    @Authenticated
    @Produces(MediaType.TEXT_HTML)
    public String home() {
        return """
                <!doctype html><html lang="en"><head><title>Signed in</title></head><body>
                <p>Signed in as <span id="email">%s</span> (subject <span id="sub">%s</span>).</p>
                <p><a id="logout" href="/logout">Sign out</a></p>
                </body></html>""".formatted(escape(idToken.getClaim("email")), escape(idToken.getSubject()));
    }

    @GET
    @Path("signed-out")
    @Produces(MediaType.TEXT_HTML)
    public String signedOut() {
        return "<!doctype html><html lang=\"en\"><head><title>Signed out</title></head><body>"
                + "<p id=\"signed-out\">Signed out.</p><p><a href=\"/\">Sign in again</a></p></body></html>";
    }

    private static String escape(Object value) {
        return String.valueOf(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
