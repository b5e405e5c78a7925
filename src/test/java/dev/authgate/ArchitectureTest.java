package dev.authgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The layering the README states, checked on the compiled classes: the core knows no HTTP, REST resources live at
 * the edge, and the top-level packages depend on each other in one direction only.
 *
 * <p>Rules are {@code @ArchTest} methods, not fields: Surefire 3.5.3 silently skips {@code @ArchTest} fields
 * (TNG/ArchUnit#1442), so a field rule would pass without ever running.
 */
@AnalyzeClasses(packages = "dev.authgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String HTTP = "dev.authgate.http..";

    /**
     * The gate is a Vert.x route ({@code /gate/check} is not a REST resource: it answers any method on any path
     * below it), so it reads the request with Vert.x web itself. It is the one exception, named here so that no
     * other class becomes one silently.
     */
    private static final DescribedPredicate<JavaClass> GATE_ROUTE = DescribedPredicate.describe(
            "the gate's Vert.x route", c -> c.getName().equals("dev.authgate.gate.Gate")
                    || c.getName().startsWith("dev.authgate.gate.Gate$"));

    @ArchTest
    static void topLevelPackagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching("dev.authgate.(*)..").should().beFreeOfCycles().check(classes);
    }

    @ArchTest
    static void onlyTheEdgeKnowsHttp(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackage(HTTP).and(DescribedPredicate.not(GATE_ROUTE))
                .should().dependOnClassesThat().resideInAnyPackage(HTTP, "jakarta.ws.rs..", "io.vertx.ext.web..")
                .because("the core raises Failures and knows no HTTP; http/ reads requests and writes answers")
                .check(classes);
    }

    @ArchTest
    static void restResourcesLiveInHttp(JavaClasses classes) {
        classes().that().areAnnotatedWith(jakarta.ws.rs.Path.class).should().resideInAPackage(HTTP).check(classes);
    }

    @ArchTest
    static void mailRaisesFailures(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.authgate.mail..")
                .should().dependOnClassesThat().resideInAPackage("io.quarkus.security")
                .because("mail raises Failures; http/ErrorReply alone decides how a refusal looks")
                .check(classes);
    }
}
