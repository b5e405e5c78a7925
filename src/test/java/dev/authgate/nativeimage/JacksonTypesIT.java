package dev.authgate.nativeimage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type of ours that Jackson read or wrote during the {@code @QuarkusTest}s ({@link JacksonTypes}) is one a
 * native executable can reach by reflection: annotated {@link RegisterForReflection}, or named by a REST method's
 * signature (Quarkus registers those itself). A type that leaves through {@code Response} or a {@code Map} and lacks
 * the annotation works on the JVM and fails natively; this is where it shows on the JVM.
 */
class JacksonTypesIT {

    @Test
    void everyTypeJacksonTouchedIsRegisteredForReflection() throws IOException {
        Assumptions.assumeTrue(Files.exists(JacksonTypes.FILE), "no @QuarkusTest ran in this build");
        Set<String> signatures = restSignatureTypes();
        Set<String> missing = new TreeSet<>();
        for (String name : new HashSet<>(Files.readAllLines(JacksonTypes.FILE))) {
            Class<?> type;
            try {
                type = Class.forName(name, false, getClass().getClassLoader());
            } catch (ClassNotFoundException gone) {
                continue; // written by an earlier build of a class since renamed
            }
            if (!type.isAnnotationPresent(RegisterForReflection.class) && !signatures.contains(name)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "Annotate with @RegisterForReflection (Jackson reads or writes them, and no "
                + "REST signature names them): " + missing);
    }

    /** Parameter and return types of every REST method of ours, with their type arguments (Uni<X>, List<X>). */
    private static Set<String> restSignatureTypes() {
        Set<String> names = new HashSet<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.authgate").stream()
                .filter(c -> c.isAnnotatedWith(Path.class) || c.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(Path.class)))
                .forEach(c -> {
                    for (Method m : c.reflect().getDeclaredMethods()) {
                        addAll(names, m.getGenericReturnType());
                        for (Type p : m.getGenericParameterTypes()) {
                            addAll(names, p);
                        }
                    }
                });
        return names;
    }

    private static void addAll(Set<String> names, Type type) {
        if (type instanceof Class<?> c) {
            names.add(c.getName());
        } else if (type instanceof ParameterizedType p) {
            addAll(names, p.getRawType());
            List.of(p.getActualTypeArguments()).forEach(a -> addAll(names, a));
        }
    }
}
