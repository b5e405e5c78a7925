package dev.authgate.client;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The service clients' security scheme in {@code /q/openapi}. Added by a filter rather than with
 * {@code @SecurityScheme}: Quarkus adds the token scheme to every authenticated operation only while it is the one
 * scheme its scan finds. The filter runs at build time, after the scan: with no filter left for the start, the
 * document is served as built (a run-time filter had it parsed and written again at every start).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ClientSecurityScheme implements OASFilter {

    /** The scheme's name, which the client endpoints' {@code @SecurityRequirement} names. */
    public static final String CLIENT_BASIC = "clientBasic";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        api.getComponents().addSecurityScheme(CLIENT_BASIC, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("client_secret_basic: the id and secret of a service client (authgate.clients.*); "
                        + "client_secret_post sends them as the fields client_id and client_secret instead."));
    }
}
