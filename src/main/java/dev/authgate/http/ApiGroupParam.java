package dev.authgate.http;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/** Lets resources take {@code @PathParam("api") ApiGroup group}: an unknown group never reaches them. */
@Provider
public class ApiGroupParam implements ParamConverterProvider {

    /** Looked up per call: providers are made before runtime configuration exists. */
    private final jakarta.inject.Provider<ApiGroups> groups;

    public ApiGroupParam(jakarta.inject.Provider<ApiGroups> groups) {
        this.groups = groups;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != ApiGroup.class) {
            return null;
        }
        return (ParamConverter<T>) new ParamConverter<ApiGroup>() {
            @Override
            public ApiGroup fromString(String value) {
                return groups.get().resolve(value);
            }

            @Override
            public String toString(ApiGroup value) {
                return value.branch() == null ? value.name() : value.name() + ":" + value.branch();
            }
        };
    }
}
