package dev.authgate.http.console;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.inject.Provider;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.authgate.failure.Failure;
import dev.authgate.http.CsrfToken;
import dev.authgate.http.ErrorMapper;
import dev.authgate.http.ErrorReply;

/**
 * A console endpoint: it does not exist (404) while {@code authgate.console.enabled} is off, and every request
 * that could change something must carry the form's CSRF token: decided here, for every console form at once.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface ConsoleEndpoint {

    class Filter {

        /** Looked up per call: REST filters are made before runtime configuration exists. */
        private final Provider<ConsoleConfig> config;
        private final Provider<ConsoleRequest> request;

        public Filter(Provider<ConsoleConfig> config, Provider<ConsoleRequest> request) {
            this.config = config;
            this.request = request;
        }

        @ConsoleEndpoint
        @ServerRequestFilter
        @WithFormRead
        public Response guard(ResteasyReactiveContainerRequestContext context) {
            if (!config.get().enabled()) {
                return ErrorMapper.toResponse(ErrorReply.of(Failure.unknownRoute()));
            }
            String method = context.getMethod();
            if (method.equals("GET") || method.equals("HEAD")) {
                return null;
            }
            Object field = ((ResteasyReactiveRequestContext) context.getServerRequestContext())
                    .getFormParameter(ConsoleRequest.CSRF_FIELD, true, false);
            return !CsrfToken.crossSite(context.getHeaderString("Sec-Fetch-Site"))
                    && request.get().csrfMatches(field instanceof String s ? s : null) ? null : request.get().refused();
        }
    }
}
