package dev.authgate.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What the annotation scan cannot know, added to {@code /q/openapi} once at start-up: the group segment as clients
 * write it ({@code /api:{group}}), both token headers, the request bodies of signup and login (read from raw bytes),
 * and Xano's error shape on every operation. Header names follow {@code authgate.headers.prefix}.
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiDocs implements OASFilter {

    /** Same as {@code quarkus.smallrye-openapi.security-scheme-name}: Quarkus adds it to secured operations. */
    static final String BEARER = "bearer";
    static final String ALTERNATIVE = "alternativeHeader";
    private static final String SCANNED_GROUP = "/{api}";
    private static final String GROUP = "/api:{group}";

    private record Failure(String name, String code, String description, String example) {
    }

    private static final Map<String, Failure> FAILURES = new LinkedHashMap<>();
    static {
        FAILURES.put("400", new Failure("BadRequest", "ERROR_CODE_INPUT_ERROR",
                "Input error; payload.param names the field (or ERROR_CODE_BAD_REQUEST for an unreadable body).",
                "Missing param: email"));
        FAILURES.put("401", new Failure("Unauthorized", "ERROR_CODE_UNAUTHORIZED",
                "A token was sent but is not valid (any endpoint), or none was sent to a protected one.", "Invalid token."));
        FAILURES.put("403", new Failure("AccessDenied", "ERROR_CODE_ACCESS_DENIED",
                "Refused: e.g. account already in use, invalid credentials, or a missing role.", "Invalid Credentials."));
        FAILURES.put("404", new Failure("NotFound", "ERROR_CODE_NOT_FOUND", "Unknown API group, branch or route.",
                "Unable to locate request."));
        FAILURES.put("413", new Failure("PayloadTooLarge", "ERROR_CODE_PAYLOAD_TOO_LARGE", "The request body is too large.",
                "The request body is too large."));
        FAILURES.put("429", new Failure("TooManyRequests", "ERROR_CODE_TOO_MANY_REQUESTS",
                "Too many attempts; Retry-After says how many seconds to wait.", "Too many attempts. Try again later."));
    }

    private final String alternativeHeader;
    private final String onlyHeader;

    public OpenApiDocs() {
        String prefix = ConfigProvider.getConfig().getOptionalValue("authgate.headers.prefix", String.class).orElse("X-Xano");
        this.alternativeHeader = prefix + "-Authorization";
        this.onlyHeader = prefix + "-Authorization-Only";
    }

    /** The group parameter is an {@link ApiGroup} to the resources, plain text to clients. */
    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.PATH && "api".equals(parameter.getName())) {
            parameter.name("group").example("main").schema(string())
                    .description("The API group, optionally with a branch label: main, main:v1.");
        }
        return parameter;
    }

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.getInfo().title("Authgate").description("Xano's authentication API. The token is read from `"
                + alternativeHeader + "` when present (`Bearer ` optional); else from nowhere when `" + onlyHeader
                + ": true`; else from `Authorization: Bearer`. A token that is sent but not valid gets 401 on every"
                + " endpoint, public ones too.");
        Components components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        api.setComponents(components);
        // Internals of the group parameter, no longer referenced once it is a string.
        components.removeSchema("ApiGroup");
        components.removeSchema("AuthTable");
        components.addSecurityScheme(ALTERNATIVE, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name(alternativeHeader)
                .description("The authToken in " + alternativeHeader + " (`Bearer ` optional). Wins over Authorization."));
        components.addSchema("ApiError", OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("Every error: Xano's shape.")
                .addProperty("code", string().enumeration(List.of("ERROR_CODE_INPUT_ERROR", "ERROR_CODE_BAD_REQUEST",
                        "ERROR_CODE_UNAUTHORIZED", "ERROR_CODE_ACCESS_DENIED", "ERROR_CODE_NOT_FOUND",
                        "ERROR_CODE_PAYLOAD_TOO_LARGE", "ERROR_CODE_TOO_MANY_REQUESTS", "ERROR_FATAL",
                        "ERROR_CODE_SERVICE_UNAVAILABLE")))
                .addProperty("message", string())
                .addProperty("payload", OASFactory.createSchema().description("Details, e.g. {\"param\":\"email\"}; null when none."))
                .required(List.of("code", "message", "payload")));
        components.addSchema("Signup", fields("name", "email", "password"));
        components.addSchema("Login", fields("email", "password"));
        FAILURES.forEach((status, f) -> components.addResponse(f.name(), failure(status, f)));

        Map<String, PathItem> paths = new LinkedHashMap<>(api.getPaths().getPathItems());
        paths.forEach((path, item) -> {
            String shown = path.startsWith(SCANNED_GROUP + "/") ? GROUP + path.substring(SCANNED_GROUP.length()) : path;
            item.getOperations().forEach((method, op) -> describe(shown, op));
            api.getPaths().removePathItem(path);
            api.getPaths().addPathItem(shown, item);
        });
    }

    private void describe(String path, Operation op) {
        if (!path.startsWith(GROUP)) {
            return;
        }
        if (op.getSecurity() != null && op.getSecurity().stream().anyMatch(r -> r.hasScheme(BEARER))) {
            op.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(ALTERNATIVE));
        }
        if (path.endsWith("/auth/signup")) {
            op.setRequestBody(body("Signup"));
        } else if (path.endsWith("/auth/login")) {
            op.setRequestBody(body("Login"));
        }
        List<String> statuses = new ArrayList<>(List.of("401", "403", "404"));
        if (op.getRequestBody() != null) {
            statuses.addAll(List.of("400", "413"));
        }
        if (path.endsWith("/auth/login")) {
            statuses.add("429");
        }
        statuses.forEach(s -> op.getResponses().addAPIResponse(s,
                OASFactory.createAPIResponse().ref("#/components/responses/" + FAILURES.get(s).name())));
    }

    private static APIResponse failure(String status, Failure f) {
        var example = new LinkedHashMap<String, Object>();
        example.put("code", f.code());
        example.put("message", f.example());
        example.put("payload", status.equals("400") ? Map.of("param", "email") : null);
        var response = OASFactory.createAPIResponse().description(f.description())
                .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/ApiError")).example(example)));
        if (status.equals("429")) {
            response.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait.")
                    .schema(OASFactory.createSchema().addType(SchemaType.INTEGER)));
        }
        return response;
    }

    /** JSON or form encoding, as the Xano SDK sends. */
    private static RequestBody body(String schema) {
        Schema ref = OASFactory.createSchema().ref("#/components/schemas/" + schema);
        Content content = OASFactory.createContent()
                .addMediaType("application/json", OASFactory.createMediaType().schema(ref))
                .addMediaType("application/x-www-form-urlencoded", OASFactory.createMediaType().schema(ref));
        return OASFactory.createRequestBody().required(true).content(content);
    }

    private static Schema fields(String... names) {
        Schema schema = OASFactory.createSchema().addType(SchemaType.OBJECT).required(List.of(names));
        for (String name : names) {
            schema.addProperty(name, string());
        }
        return schema;
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(SchemaType.STRING);
    }
}
