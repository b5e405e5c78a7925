package dev.authgate.http;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The parts of {@code /q/openapi} that belong to no one endpoint: both token headers and Xano's error answers,
 * referred to by name from the resources' {@code @APIResponse}s.
 */
@OpenAPIDefinition(info = @Info(title = "Authgate", version = "1",
        description = "Xano's authentication (auth tables, API groups, JWE authTokens) as a service. "
                + "Every error is {\"code\",\"message\",\"payload\"}."),
        components = @Components(
                securitySchemes = {
                        @SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP,
                                scheme = "bearer", bearerFormat = "JWE",
                                description = "The authToken in Authorization: Bearer <token>."),
                        @SecurityScheme(securitySchemeName = ApiDocument.ALTERNATIVE, type = SecuritySchemeType.APIKEY,
                                in = SecuritySchemeIn.HEADER, apiKeyName = "X-Xano-Authorization",
                                description = "The authToken in X-Xano-Authorization (Bearer optional), which wins over "
                                        + "Authorization; X-Xano-Authorization-Only: true means no token. The prefix "
                                        + "is authgate.headers.prefix.") },
                responses = {
                        @APIResponse(name = ApiDocument.BAD_REQUEST, description = "ERROR_CODE_INPUT_ERROR with "
                                + "payload.param naming the field, or ERROR_CODE_BAD_REQUEST for an unreadable body.",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        examples = @ExampleObject(name = "input", value = "{\"code\":"
                                                + "\"ERROR_CODE_INPUT_ERROR\",\"message\":\"Missing param: email\","
                                                + "\"payload\":{\"param\":\"email\"}}"))),
                        @APIResponse(name = ApiDocument.UNAUTHORIZED, description = "A token was sent but is not "
                                + "valid (any endpoint), or none was sent to a protected one.",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        example = "{\"code\":\"ERROR_CODE_UNAUTHORIZED\",\"message\":\"Invalid token.\","
                                                + "\"payload\":null}")),
                        @APIResponse(name = ApiDocument.ACCESS_DENIED, description = "Refused.",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        example = "{\"code\":\"ERROR_CODE_ACCESS_DENIED\",\"message\":"
                                                + "\"Invalid Credentials.\",\"payload\":null}")),
                        @APIResponse(name = ApiDocument.NOT_FOUND, description = "Unknown API group, branch, route "
                                + "or record.", content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        example = "{\"code\":\"ERROR_CODE_NOT_FOUND\",\"message\":"
                                                + "\"Unable to locate request.\",\"payload\":null}")),
                        @APIResponse(name = ApiDocument.TOO_LARGE, description = "The body is over the limit.",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        example = "{\"code\":\"ERROR_CODE_PAYLOAD_TOO_LARGE\",\"message\":"
                                                + "\"The request body is too large.\",\"payload\":null}")),
                        @APIResponse(name = ApiDocument.TOO_MANY, description = "Too many attempts; Retry-After "
                                + "says how many seconds to wait.", content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        example = "{\"code\":\"ERROR_CODE_TOO_MANY_REQUESTS\",\"message\":"
                                                + "\"Too many attempts. Try again later.\",\"payload\":null}")),
                        @APIResponse(name = ApiDocument.UNAVAILABLE, description = "The database is unreachable; "
                                + "Retry-After says when to retry.", content = @Content(mediaType = "application/json",
                                        schema = @Schema(implementation = ApiError.class),
                                        example = "{\"code\":\"ERROR_CODE_SERVICE_UNAVAILABLE\",\"message\":\"The "
                                                + "service is temporarily unavailable. Try again shortly.\","
                                                + "\"payload\":null}")) }))
public class ApiDocument extends Application {

    public static final String BEARER = "bearer";
    public static final String ALTERNATIVE = "alternativeHeader";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String ACCESS_DENIED = "AccessDenied";
    public static final String NOT_FOUND = "NotFound";
    public static final String TOO_LARGE = "PayloadTooLarge";
    public static final String TOO_MANY = "TooManyRequests";
    public static final String UNAVAILABLE = "ServiceUnavailable";
}
