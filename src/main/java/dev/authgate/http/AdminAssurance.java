package dev.authgate.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.authgate.config.AuthgateConfig;

/**
 * The administrators' endpoints (the records API): the token's {@code aal} must reach {@code authgate.admin-aal}
 * (1 by default: no demand; 2: a second factor), else 403 as {@link RequiresAal2} answers.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface AdminAssurance {

    class Filter {

        /** Looked up per call: REST filters are made before runtime configuration exists. */
        private final jakarta.inject.Provider<AuthgateConfig> config;

        public Filter(jakarta.inject.Provider<AuthgateConfig> config) {
            this.config = config;
        }

        @AdminAssurance
        @ServerRequestFilter
        public Response refuseBelowAdminAal(ContainerRequestContext request) {
            int least = config.get().adminAal();
            return least <= 1 ? null : RequiresAal2.Assurances.refusal(request, least);
        }
    }
}
