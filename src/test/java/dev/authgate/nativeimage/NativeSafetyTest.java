package dev.authgate.nativeimage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * What a native image refuses or gets wrong, caught on the JVM (CI has no GraalVM): randomness made at build time
 * (a class initialized at build time bakes its generator, and its seed, into the executable), and Caffeine without
 * its Quarkus extension. {@code CaffeineNativeTest} and {@code JacksonTypesIT} hold the reflection rules.
 */
class NativeSafetyTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.authgate");

    private static final DescribedPredicate<JavaClass> RANDOMNESS = DescribedPredicate.describe(
            "a random generator (Random, SecureRandom, ThreadLocalRandom, SplittableRandom)",
            c -> c.isAssignableTo(Random.class) || c.isAssignableTo(SplittableRandom.class));

    @Test
    void noStaticFieldHoldsARandomGenerator() {
        fields().that().areStatic().should().notHaveRawType(RANDOMNESS)
                .because("a native image initializes static fields at build time: inject the run-time SecureRandom "
                        + "(security/Randomness) instead")
                .check(MAIN);
    }

    @Test
    void noStaticInitializerMakesOrReachesARandomGenerator() {
        classes().should(leaveRandomnessOutOfStaticInitializers())
                .because("static initializers run at build time in a native image")
                .check(MAIN);
    }

    @Test
    void caffeineComesWithItsQuarkusExtension() {
        // quarkus-caffeine's native feature registers Caffeine's core; CaffeineClasses adds our caches' shapes.
        assertNotNull(getClass().getClassLoader().getResource(
                "io/quarkus/caffeine/runtime/graal/CacheConstructorsFeature.class"),
                "Caffeine is used without io.quarkus:quarkus-caffeine, which makes it work natively");
    }

    private static ArchCondition<JavaClass> leaveRandomnessOutOfStaticInitializers() {
        return new ArchCondition<>("not create or obtain a random generator in a static initializer") {
            @Override
            public void check(JavaClass clazz, ConditionEvents events) {
                clazz.getStaticInitializer().ifPresent(init -> {
                    for (JavaAccess<?> access : init.getAccessesFromSelf()) {
                        JavaClass produced = access instanceof JavaCall<?> call ? call.getTarget().getRawReturnType()
                                : access instanceof JavaFieldAccess read ? read.getTarget().getRawType()
                                : access.getTargetOwner();
                        if (RANDOMNESS.test(access.getTargetOwner()) || RANDOMNESS.test(produced)) {
                            events.add(SimpleConditionEvent.violated(clazz, access.getDescription()));
                        }
                    }
                });
            }
        };
    }
}
