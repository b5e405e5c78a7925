package dev.authgate.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.authgate.failure.Failure;
import dev.authgate.security.OperatorKey;

/**
 * An endpoint for operators only: without {@code authgate.quick-tokens.secret}, or without the right key in
 * {@value OperatorKey#HEADER}, it does not exist (404) — decided before the body is read, so no input error tells
 * otherwise.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface OperatorOnly {

    class Filter {

        /** Looked up per call: REST filters are made before runtime configuration exists. */
        private final jakarta.inject.Provider<OperatorKey> key;

        public Filter(jakarta.inject.Provider<OperatorKey> key) {
            this.key = key;
        }

        @OperatorOnly
        @ServerRequestFilter
        public Response refuseOthers(HttpHeaders headers) {
            return key.get().accepts(headers.getHeaderString(OperatorKey.HEADER)) ? null
                    : ErrorMapper.toResponse(ErrorReply.of(Failure.unknownRoute()));
        }
    }
}
