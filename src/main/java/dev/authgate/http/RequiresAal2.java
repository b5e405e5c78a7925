package dev.authgate.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.authgate.failure.Failure;
import dev.authgate.security.TokenPrincipal;

/**
 * An endpoint that demands a token of {@code aal} 2 (a second factor was proved): without a token 401, with a token
 * of aal 1 (or one issued before the claim existed) 403 {@code ERROR_CODE_ACCESS_DENIED}, in the error shape.
 * Decided before the body is read.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface RequiresAal2 {

    String MESSAGE = dev.authgate.mfa.SecondFactors.NEEDS_AAL2;

    class Filter {

        @RequiresAal2
        @ServerRequestFilter
        public Response refuseAal1(ContainerRequestContext request) {
            return Assurances.refusal(request, 2);
        }
    }

    /** What both assurance filters answer. */
    final class Assurances {

        private Assurances() {
        }

        static Response refusal(ContainerRequestContext request, int least) {
            if (!(request.getSecurityContext().getUserPrincipal() instanceof TokenPrincipal p)) {
                return ErrorMapper.toResponse(ErrorReply.unauthorized());
            }
            return p.auth().aal() >= least ? null
                    : ErrorMapper.toResponse(ErrorReply.of(Failure.denied(MESSAGE)));
        }
    }
}
