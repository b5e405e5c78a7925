package dev.authgate.deploy;

import static dev.authgate.deploy.ManifestsTest.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * k8s/base/migrate-job.yaml: the migration step production runs instead of migrating at every start. The same
 * image and database settings as the replicas, Flyway on, exit after it; nothing of the replicas' traffic.
 */
class MigrationJobTest {

    static Job job;
    static Container migrate;
    static Container replica;

    @BeforeAll
    static void load() throws IOException {
        ManifestsTest.load();
        job = (Job) ManifestsTest.parse(BASE.resolve("migrate-job.yaml")).get(0);
        migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        replica = ManifestsTest.container;
    }

    @Test
    void runsTheReplicasImageAndDatabaseWithFlywayOnAndExits() {
        assertEquals(replica.getImage(), migrate.getImage());
        assertEquals(replica.getEnvFrom(), migrate.getEnvFrom());
        Map<String, EnvVar> env = migrate.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("true", env.get("QUARKUS_FLYWAY_MIGRATE_AT_START").getValue());
        assertEquals("true", env.get("QUARKUS_INIT_AND_EXIT").getValue());
        ManifestsTest.assertSecret(migrate, "QUARKUS_DATASOURCE_USERNAME", "authgate-db-app", "username", false);
        ManifestsTest.assertSecret(migrate, "QUARKUS_DATASOURCE_PASSWORD", "authgate-db-app", "password", false);
        assertFalse(env.containsKey("AUTHGATE_TOKEN_KEYS"), "migrating needs no token keys");
        // both are read at run time, so the one image does both jobs
        Map<String, String> phases = ManifestsTest.quarkusRuntimeEnvVars();
        for (String name : env.keySet()) {
            if (name.startsWith("QUARKUS_")) {
                assertEquals("RUN_TIME", phases.get(name), name + " is not a run-time Quarkus property");
            }
        }
        // replicas do not migrate: the production default, not an env var of theirs
        assertTrue(replica.getEnv().stream().noneMatch(e -> e.getName().startsWith("QUARKUS_FLYWAY")));
    }

    @Test
    void isAJobThatEndsAndIsLockedDown() {
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertTrue(job.getSpec().getBackoffLimit() > 0, "retries while the database starts");
        assertTrue(job.getSpec().getTtlSecondsAfterFinished() > 0, "goes away: the next release applies a new one");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        ManifestsTest.assertLockedDown(migrate.getSecurityContext());
        ManifestsTest.assertTmpIsAnEmptyDir(pod, migrate);
        assertNull(migrate.getReadinessProbe(), "nothing to serve");
        assertTrue(migrate.getPorts() == null || migrate.getPorts().isEmpty());
    }

    @Test
    void theReplicasTrafficNeverReachesIt() {
        Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
        Service service = ManifestsTest.one(Service.class, "authgate");
        Deployment deployment = ManifestsTest.deployment;
        assertNotEquals(deployment.getSpec().getSelector().getMatchLabels(), labels);
        assertFalse(labels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "the Service would send requests to the migration pod");
        for (HasMetadata o : ManifestsTest.all()) {
            if (o instanceof Job j) {
                assertEquals("authgate-migrate", j.getMetadata().getName());
            }
        }
    }
}
