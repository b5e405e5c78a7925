package dev.authgate.http;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The one thing the annotations cannot say: the resources match the group segment with a pattern (so that a
 * percent-encoded colon matches too), which the scan writes {@code /{api}}; clients write {@code /api:{group}}.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ClientPaths implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Map<String, PathItem> renamed = new LinkedHashMap<>();
        openAPI.getPaths().getPathItems().forEach((path, item) -> renamed.put(
                path.startsWith("/{api}") ? "/api:{group}" + path.substring("/{api}".length()) : path, item));
        openAPI.getPaths().setPathItems(renamed);
        renamed.values().forEach(item -> item.getOperations().values().forEach(op -> {
            if (op.getParameters() != null) {
                op.getParameters().stream().filter(p -> "api".equals(p.getName()))
                        .forEach(p -> p.name("group").description("The API group, with an optional branch: main or main:v1."));
            }
        }));
    }
}
