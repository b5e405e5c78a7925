package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.mail.MailConfig;
import dev.authgate.support.Processes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.smallrye.config.WithName;

/**
 * The manifests under k8s/ against the application: they must parse as Kubernetes objects, and
 * the ports, probe paths and env var names they use must be ones this build of Authgate serves
 * and reads. Plain JUnit: nothing starts.
 */
@Processes
class ManifestsTest {

    static final Path K8S = Path.of("k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path KNATIVE = K8S.resolve("overlays/knative");
    static final Path KNATIVE_JVM = K8S.resolve("overlays/knative-jvm");
    static final KubernetesSerialization KUBE = new KubernetesSerialization();

    /** SmallRye Health's default paths under the management interface's default root /q. */
    static final String STARTED = "/q/health/started", LIVE = "/q/health/live", READY = "/q/health/ready";

    static Map<Path, List<HasMetadata>> base;
    static Deployment deployment;
    static Container container;

    @BeforeAll
    static void load() throws IOException {
        base = new HashMap<>();
        for (Path file : yamlFiles(BASE)) {
            base.put(file, parse(file));
        }
        deployment = one(Deployment.class, "authgate");
        container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void everyManifestParsesAsTypedObjectsWithNoUnknownField() throws IOException {
        List<Path> files = new ArrayList<>(yamlFiles(BASE));
        files.addAll(yamlFiles(KNATIVE));
        files.addAll(yamlFiles(KNATIVE_JVM));
        files.add(K8S.resolve("kustomization.yaml"));
        for (Path file : files) {
            for (HasMetadata object : parse(file)) {
                // A misspelt field (livenesProbe) lands in additionalProperties instead of failing.
                assertNoUnknownFields(object, file + ": " + object.getKind());
            }
        }
        Set<String> kinds = all().stream().map(o -> o.getClass().getSimpleName() + "/" + o.getKind())
                .collect(Collectors.toCollection(TreeSet::new));
        // Only CRDs (CloudNativePG, kustomize) are generic: a typo in a core kind would be generic too.
        assertEquals(new TreeSet<>(List.of("ConfigMap/ConfigMap", "Deployment/Deployment",
                "GenericKubernetesResource/Cluster", "GenericKubernetesResource/Kustomization",
                "GenericKubernetesResource/ServiceMonitor",
                "HorizontalPodAutoscaler/HorizontalPodAutoscaler", "Job/Job", "NetworkPolicy/NetworkPolicy",
                "PodDisruptionBudget/PodDisruptionBudget", "Secret/Secret", "Service/Service")), kinds);
    }

    @Test
    void kustomizationListsEveryManifestButTheExampleSecret() throws IOException {
        List<String> resources = resources(BASE);
        Set<String> files = yamlFiles(BASE).stream().map(f -> f.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml") && !f.equals("secret.example.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, new TreeSet<>(resources));
        List<HasMetadata> example = base.get(BASE.resolve("secret.example.yaml"));
        assertEquals("Secret", example.get(0).getKind());
        String text = Files.readString(BASE.resolve("secret.example.yaml"));
        assertTrue(text.contains("\"k\":\"REPLACE-"), "the example Secret holds placeholders only");
        assertEquals(List.of("base"), resources(K8S));
        assertTrue(resources(KNATIVE).contains("../../base"));
    }

    @Test
    void deploymentServesTheApplicationsPortAndHealthEndpoints() throws IOException {
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(2, container.getPorts().size());
        assertEquals("http", container.getPorts().get(0).getName());
        assertEquals(httpPort(), container.getPorts().get(0).getContainerPort());
        assertEquals("management", container.getPorts().get(1).getName());
        assertEquals(managementPort(), container.getPorts().get(1).getContainerPort());
        assertProbes(container, new IntOrString("management"));

        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(podLabels, deployment.getSpec().getSelector().getMatchLabels());
        Service service = one(Service.class, "authgate");
        assertEquals(podLabels, service.getSpec().getSelector());
        assertEquals(80, service.getSpec().getPorts().get(0).getPort());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());

        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class, "authgate");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("authgate", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(2, hpa.getSpec().getMinReplicas());
        assertEquals(10, hpa.getSpec().getMaxReplicas());
        assertEquals(70, hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization());
        assertNotNull(container.getResources().getRequests().get("cpu"), "the HPA's percentage is of the request");

        PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "authgate");
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        assertEquals(podLabels, pdb.getSpec().getSelector().getMatchLabels());

        NetworkPolicy policy = one(NetworkPolicy.class, "authgate");
        assertEquals(podLabels, policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of(httpPort(), managementPort()), policy.getSpec().getIngress().stream()
                .flatMap(rule -> rule.getPorts().stream()).map(p -> p.getPort().getIntVal()).toList());
        assertTrue(policy.getSpec().getIngress().get(0).getFrom().isEmpty(), "the API is open to the ingress");
        assertOnlyFromTheMonitoringNamespace(policy.getSpec().getIngress().get(1));
        assertTrue(policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .anyMatch(p -> p.getPort().getIntVal() == 5432));
        // The email flows reach the SMTP server the ConfigMap names, on its port.
        int smtp = Integer.parseInt(one(ConfigMap.class, "authgate-config").getData().get("QUARKUS_MAILER_PORT"));
        assertTrue(policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .anyMatch(p -> p.getPort().getIntVal() == smtp && "TCP".equals(p.getProtocol())), "egress to SMTP");
    }

    @Test
    void prometheusScrapesTheManagementPortThroughItsOwnService() throws IOException {
        Service management = one(Service.class, "authgate-management");
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels(), management.getSpec().getSelector());
        assertEquals(1, management.getSpec().getPorts().size());
        assertEquals("management", management.getSpec().getPorts().get(0).getName());
        // a number, not a name: Knative's pods declare only their serving port
        int port = managementPort();
        assertEquals(port, management.getSpec().getPorts().get(0).getTargetPort().getIntVal());
        assertTrue(one(Service.class, "authgate").getSpec().getPorts().stream()
                .noneMatch(p -> p.getPort() == port || "management".equals(p.getTargetPort().getStrVal())),
                "the Service an ingress routes to has no management port");

        GenericKubernetesResource monitor = (GenericKubernetesResource) all().stream()
                .filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        Map<String, String> selects = monitor.get("spec", "selector", "matchLabels");
        assertTrue(management.getMetadata().getLabels().entrySet().containsAll(selects.entrySet()), selects.toString());
        assertFalse(one(Service.class, "authgate").getMetadata().getLabels().entrySet().containsAll(selects.entrySet()),
                "the ServiceMonitor must not also select the public Service");
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertEquals(1, endpoints.size());
        assertEquals("management", endpoints.get(0).get("port"));
        assertEquals("/q/metrics", endpoints.get(0).get("path"));
    }

    @Test
    void postgresAcceptsOnlyAuthgateTheOperatorAndItsOwnInstances() {
        GenericKubernetesResource cluster = (GenericKubernetesResource) all().stream()
                .filter(o -> o.getKind().equals("Cluster")).findFirst().orElseThrow();
        NetworkPolicy db = one(NetworkPolicy.class, "authgate-db");
        Map<String, String> instances = Map.of("cnpg.io/cluster", cluster.getMetadata().getName());
        assertEquals(instances, db.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), db.getSpec().getPolicyTypes());
        // who may reach 5432: each peer of each rule that opens it
        Map<String, String> authgate = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Set<String> peers = new TreeSet<>();
        for (var rule : db.getSpec().getIngress()) {
            assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), "a rule without from: opens to everyone");
            assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), "a rule without ports: opens every port");
            for (var peer : rule.getFrom()) {
                assertNull(peer.getIpBlock(), "no address ranges: pods by label only");
                Map<String, String> pods = peer.getPodSelector().getMatchLabels();
                String namespace = peer.getNamespaceSelector() == null ? "same namespace"
                        : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                String who = pods.equals(authgate) ? "authgate" : pods.equals(instances) ? "instances"
                        : pods.equals(Map.of("app.kubernetes.io/name", "cloudnative-pg")) && "cnpg-system".equals(namespace)
                                ? "operator" : "unexpected " + pods + " in " + namespace;
                if (pods.equals(authgate) || pods.equals(instances)) {
                    assertNull(peer.getNamespaceSelector(), who + ": this namespace only");
                }
                for (var port : rule.getPorts()) {
                    peers.add(who + ":" + port.getPort().getIntVal());
                }
            }
        }
        assertEquals(new TreeSet<>(List.of("authgate:5432", "operator:5432", "operator:8000", "instances:5432",
                "instances:8000")), peers);
    }

    @Test
    void trustedProxiesAreSetForTheIngressAndForKnative() throws IOException {
        ConfigMap config = one(ConfigMap.class, "authgate-config");
        List<String> base = proxies(config);
        assertFalse(base.isEmpty());
        assertFalse(base.contains("127.0.0.1"), "base: the ingress controller's range, not loopback");
        ConfigMap knative = (ConfigMap) parse(KNATIVE.resolve("trusted-proxies.yaml")).get(0);
        assertEquals("authgate-config", knative.getMetadata().getName());
        List<String> overlay = proxies(knative);
        assertTrue(overlay.containsAll(List.of("127.0.0.1", "::1")), "queue-proxy forwards over loopback: " + overlay);
        assertTrue(overlay.size() > 2, "and the activator's range: " + overlay);
        assertTrue(resources(KNATIVE).contains("../../base"));
        assertTrue(Files.readString(KNATIVE.resolve("kustomization.yaml")).contains("path: trusted-proxies.yaml"));
    }

    /** The ConfigMap's trusted proxies, each an IP or CIDR as the service parses them (it refuses to start otherwise). */
    static List<String> proxies(ConfigMap config) {
        String value = config.getData().get("AUTHGATE_THROTTLE_TRUSTED_PROXIES");
        assertNotNull(value, config.getMetadata().getName() + " sets no trusted proxies");
        List<String> entries = List.of(value.split(","));
        for (String entry : entries) {
            String address = entry.strip().split("/", 2)[0];
            assertTrue(io.netty.util.NetUtil.isValidIpV4Address(address) || io.netty.util.NetUtil.isValidIpV6Address(address),
                    "not an IP or CIDR: " + entry);
        }
        return entries.stream().map(String::strip).toList();
    }

    static void assertOnlyFromTheMonitoringNamespace(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule rule) {
        assertEquals(1, rule.getFrom().size(), "management: one peer");
        var peer = rule.getFrom().get(0);
        assertNull(peer.getIpBlock());
        assertNull(peer.getPodSelector(), "every pod of the monitoring namespace, no other namespace");
        assertEquals(Map.of("kubernetes.io/metadata.name", "monitoring"), peer.getNamespaceSelector().getMatchLabels());
        assertEquals(List.of(9000), rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
    }

    @Test
    void containerIsLockedDown() {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertLockedDown(container.getSecurityContext());
        assertTmpIsAnEmptyDir(pod, container);
    }

    @Test
    void envVarsAreOnesTheApplicationReads() {
        ConfigMap config = one(ConfigMap.class, "authgate-config");
        assertEquals("authgate-config", container.getEnvFrom().get(0).getConfigMapRef().getName());
        Set<String> names = new TreeSet<>(config.getData().keySet());
        container.getEnv().forEach(e -> names.add(e.getName()));
        assertTrue(names.containsAll(List.of("AUTHGATE_TOKEN_KEYS", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")), names.toString());

        List<Pattern> authgate = authgateEnvVars();
        Map<String, String> quarkus = quarkusRuntimeEnvVars();
        for (String name : names) {
            if (name.startsWith("AUTHGATE_")) {
                assertTrue(authgate.stream().anyMatch(p -> p.matcher(name).matches()),
                        name + " maps to no property of AuthgateConfig or MailConfig");
            } else {
                // Build-time properties are fixed in the binary: setting them at run time does nothing.
                assertEquals("RUN_TIME", quarkus.get(name), name + " is not a run-time Quarkus property here");
            }
        }

        assertSecret(container, "AUTHGATE_TOKEN_KEYS", "authgate-token-keys", "keys", false);
        assertSecret(container, "AUTHGATE_QUICK_TOKENS_SECRET", "authgate-token-keys", "quick-tokens-secret", true);
        assertSecret(container, "QUARKUS_DATASOURCE_USERNAME", "authgate-db-app", "username", false);
        assertSecret(container, "QUARKUS_DATASOURCE_PASSWORD", "authgate-db-app", "password", false);
        assertSecret(container, "QUARKUS_MAILER_USERNAME", "authgate-smtp", "username", true);
        assertSecret(container, "QUARKUS_MAILER_PASSWORD", "authgate-smtp", "password", true);

        // The URL names the read-write Service and the database of the CloudNativePG Cluster.
        GenericKubernetesResource cluster = (GenericKubernetesResource) all().stream()
                .filter(o -> o.getKind().equals("Cluster")).findFirst().orElseThrow();
        assertEquals("postgresql.cnpg.io/v1", cluster.getApiVersion());
        String database = cluster.get("spec", "bootstrap", "initdb", "database");
        assertEquals("jdbc:postgresql://" + cluster.getMetadata().getName() + "-rw:5432/" + database,
                config.getData().get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals(3, (Integer) cluster.get("spec", "instances"));
    }

    @Test
    void knativeServiceRunsTheSameContainerAndScalesToZero() throws IOException {
        GenericKubernetesResource ksvc = assertInstanceOf(GenericKubernetesResource.class,
                parse(KNATIVE.resolve("knative-service.yaml")).get(0));
        assertEquals("serving.knative.dev/v1", ksvc.getApiVersion());
        assertEquals("Service", ksvc.getKind());
        Map<String, String> annotations = ksvc.get("spec", "template", "metadata", "annotations");
        assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"));

        PodSpec pod = KUBE.convertValue(ksvc.get("spec", "template", "spec"), PodSpec.class);
        assertNoUnknownFields(pod, "knative-service.yaml: spec.template.spec");
        Container knative = pod.getContainers().get(0);
        // Knative accepts only http1/h2c as the port name, and probes without a port.
        assertEquals(1, knative.getPorts().size());
        assertEquals("http1", knative.getPorts().get(0).getName());
        assertEquals(container.getPorts().get(0).getContainerPort(), knative.getPorts().get(0).getContainerPort());
        // no startupProbe: the kubelet runs it at periods of 1 s or more, which would add to every cold start
        assertNull(knative.getStartupProbe(), "a startupProbe delays every scale from zero");
        assertProbe(knative.getLivenessProbe(), LIVE, new IntOrString(managementPort()));
        assertProbe(knative.getReadinessProbe(), READY, new IntOrString(managementPort()));
        assertNull(knative.getReadinessProbe().getPeriodSeconds(), "Knative's own fast probing during the start");
        assertEquals(container.getImage(), knative.getImage());
        assertEquals(container.getEnv(), knative.getEnv());
        assertEquals(container.getEnvFrom(), knative.getEnvFrom());
        assertEquals(container.getResources(), knative.getResources());
        assertLockedDown(knative.getSecurityContext());
        assertTmpIsAnEmptyDir(pod, knative);
    }

    @Test
    void kustomizeRendersBothVariants() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
        Set<String> plain = kinds(kustomize(BASE));
        assertEquals(plain, kinds(kustomize(K8S)));
        assertTrue(plain.containsAll(Set.of("apps/v1/Deployment", "v1/Service", "autoscaling/v2/HorizontalPodAutoscaler",
                "policy/v1/PodDisruptionBudget", "postgresql.cnpg.io/v1/Cluster", "batch/v1/Job")), plain.toString());
        Set<String> knative = kinds(kustomize(KNATIVE));
        assertEquals(new TreeSet<>(List.of("batch/v1/Job", "networking.k8s.io/v1/NetworkPolicy",
                "postgresql.cnpg.io/v1/Cluster", "serving.knative.dev/v1/Service", "v1/ConfigMap", "v1/Service",
                "monitoring.coreos.com/v1/ServiceMonitor")), knative);
        assertFalse(plain.contains("v1/Secret"), "no Secret is rendered: real ones are made by hand");

        // The overlay opens the queue-proxy's ports instead of 8080, and keeps 9000 for monitoring only.
        List<HasMetadata> rendered = kustomize(KNATIVE);
        NetworkPolicy policy = rendered.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
                .filter(p -> p.getMetadata().getName().equals("authgate")).findFirst().orElseThrow();
        assertTrue(policy.getSpec().getIngress().get(0).getPorts().stream()
                .anyMatch(p -> p.getPort().getIntVal() == 8012));
        assertOnlyFromTheMonitoringNamespace(policy.getSpec().getIngress().get(1));
        ConfigMap config = rendered.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .findFirst().orElseThrow();
        assertTrue(proxies(config).containsAll(List.of("127.0.0.1", "::1")), "the overlay's trusted proxies win");
        assertTrue(config.getData().containsKey("QUARKUS_DATASOURCE_JDBC_URL"), "merged into the base's ConfigMap");
    }

    @Test
    void theJvmOverlayRunsTheJvmImageWithTheMemoryAndOptionsItWasMeasuredWith() throws Exception {
        assertEquals(List.of("../knative"), resources(KNATIVE_JVM));
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
        Container nativeImage = knativeContainer(kustomize(KNATIVE));
        Container jvm = knativeContainer(kustomize(KNATIVE_JVM));
        assertEquals(nativeImage.getImage().replaceFirst(":[^:/]+$", ":0.1.0-jvm"), jvm.getImage());
        List<EnvVar> added = new ArrayList<>(jvm.getEnv());
        added.removeAll(nativeImage.getEnv());
        assertEquals(nativeImage.getEnv().size() + 1, jvm.getEnv().size(), "the overlay only adds to the env");
        assertEquals(List.of(new EnvVar("JDK_JAVA_OPTIONS", "-Xmx128m -XX:TieredStopAtLevel=1", null)), added);
        // bench/STARTUP.md: ~190 MB idle and ~225 MB peak RSS with a 128 MB heap ceiling; the native limit is 128 MiB
        long limit = Quantity.getAmountInBytes(jvm.getResources().getLimits().get("memory")).longValueExact();
        long request = Quantity.getAmountInBytes(jvm.getResources().getRequests().get("memory")).longValueExact();
        assertTrue(limit >= 300L << 20 && request >= 190L << 20 && request <= limit, jvm.getResources().toString());
        assertEquals(nativeImage.getResources().getRequests().get("cpu"), jvm.getResources().getRequests().get("cpu"));
        assertEquals(nativeImage.getReadinessProbe(), jvm.getReadinessProbe());
        assertEquals(nativeImage.getLivenessProbe(), jvm.getLivenessProbe());
        assertEquals(nativeImage.getSecurityContext(), jvm.getSecurityContext());
        assertEquals(nativeImage.getPorts(), jvm.getPorts());
    }

    static Container knativeContainer(List<HasMetadata> rendered) {
        GenericKubernetesResource ksvc = rendered.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast)
                .filter(o -> o.getApiVersion().equals("serving.knative.dev/v1") && o.getKind().equals("Service"))
                .findFirst().orElseThrow();
        return KUBE.convertValue(ksvc.get("spec", "template", "spec"), PodSpec.class).getContainers().get(0);
    }

    // --- the application's side ---

    /** quarkus.http.port as this build runs it: application.properties or the extension's default. */
    static int httpPort() throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            props.load(in);
        }
        for (String key : props.stringPropertyNames()) {
            String name = key.replaceFirst("^%[^.]*\\.", "");
            assertFalse(name.equals("quarkus.http.root-path") || name.equals("quarkus.http.non-application-root-path")
                    || name.startsWith("quarkus.smallrye-health."), key + " moves the health endpoints the probes use");
        }
        String port = props.getProperty("quarkus.http.port", quarkusDefault("quarkus.http.port"));
        return Integer.parseInt(port);
    }

    /** quarkus.management.port as this build runs it: the management interface is on, at the default port. */
    static int managementPort() throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            props.load(in);
        }
        assertEquals("true", props.getProperty("quarkus.management.enabled"), "health and metrics off the public port");
        for (String key : props.stringPropertyNames()) {
            String name = key.replaceFirst("^%[^.]*\\.", "");
            assertFalse(name.equals("quarkus.management.root-path"), key + " moves the health endpoints the probes use");
        }
        return Integer.parseInt(props.getProperty("quarkus.management.port", quarkusDefault("quarkus.management.port")));
    }

    /** Env var -> phase, from the config model each Quarkus extension jar on the classpath ships. */
    static Map<String, String> quarkusRuntimeEnvVars() {
        Map<String, String> phases = new HashMap<>();
        forEachQuarkusProperty(item -> phases.put(item.at("/path/environmentVariable").asText(),
                item.get("phase").asText()));
        return phases;
    }

    static String quarkusDefault(String property) {
        List<String> found = new ArrayList<>();
        forEachQuarkusProperty(item -> {
            if (item.at("/path/property").asText().equals(property)) {
                found.add(item.get("defaultValue").asText());
            }
        });
        assertEquals(1, found.size(), property);
        return found.get(0);
    }

    static void forEachQuarkusProperty(java.util.function.Consumer<JsonNode> action) {
        try {
            ObjectMapper json = new ObjectMapper();
            List<URL> models = Collections.list(ManifestsTest.class.getClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"));
            assertFalse(models.isEmpty(), "no Quarkus config model on the classpath");
            for (URL model : models) {
                try (InputStream in = model.openStream()) {
                    json.readTree(in).findParents("phase").stream()
                            .filter(item -> item.has("path")).forEach(action);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Env var patterns of every property of {@link AuthgateConfig} and {@link MailConfig}, named as SmallRye Config maps
     * them: authgate.quick-tokens.secret is AUTHGATE_QUICK_TOKENS_SECRET, a map key any word.
     */
    static List<Pattern> authgateEnvVars() {
        List<Pattern> patterns = new ArrayList<>();
        collect(AuthgateConfig.class, "AUTHGATE", patterns);
        collect(MailConfig.class, "AUTHGATE_MAIL", patterns);
        return patterns;
    }

    static void collect(Class<?> type, String prefix, List<Pattern> into) {
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            WithName withName = m.getAnnotation(WithName.class);
            String name = withName != null ? withName.value() : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2");
            String env = prefix + "_" + name.toUpperCase().replaceAll("[^A-Z0-9]", "_");
            Class<?> value = m.getReturnType();
            if (Map.class.isAssignableFrom(value)) {
                var args = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments();
                collect((Class<?>) args[1], env + "_[A-Z0-9_]+", into);
            } else if (value.isInterface() && value.getName().startsWith("dev.authgate.")) {
                collect(value, env, into);
            } else {
                into.add(Pattern.compile(env));
            }
        }
    }

    // --- checks shared by the Deployment and the Knative Service ---

    static void assertProbes(Container c, IntOrString port) {
        assertProbe(c.getStartupProbe(), STARTED, port);
        assertProbe(c.getLivenessProbe(), LIVE, port);
        assertProbe(c.getReadinessProbe(), READY, port);
    }

    static void assertProbe(Probe probe, String path, IntOrString port) {
        assertNotNull(probe, path);
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals(port, probe.getHttpGet().getPort(), path);
    }

    static void assertLockedDown(SecurityContext sc) {
        assertNotNull(sc, "container securityContext");
        assertEquals(Boolean.TRUE, sc.getRunAsNonRoot());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
    }

    static void assertTmpIsAnEmptyDir(PodSpec pod, Container c) {
        String volume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume at /tmp")).getName();
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(volume) && v.getEmptyDir() != null));
    }

    static void assertSecret(Container c, String env, String secret, String key, boolean optional) {
        EnvVar var = c.getEnv().stream().filter(e -> e.getName().equals(env)).findFirst()
                .orElseThrow(() -> new AssertionError(env + " is not set"));
        SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
        assertEquals(secret, ref.getName(), env);
        assertEquals(key, ref.getKey(), env);
        assertEquals(optional, Boolean.TRUE.equals(ref.getOptional()), env + " optional");
    }

    // --- reading manifests ---

    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static List<HasMetadata> parse(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = KUBE.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        for (Object o : parsed instanceof List<?> list ? list : List.of(parsed)) {
            objects.add(assertInstanceOf(HasMetadata.class, o));
        }
        return objects;
    }

    static List<HasMetadata> all() {
        return base.values().stream().flatMap(List::stream).toList();
    }

    static <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = all().stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), type.getSimpleName() + " " + name);
        return found.get(0);
    }

    static List<String> resources(Path dir) throws IOException {
        GenericKubernetesResource k = (GenericKubernetesResource) parse(dir.resolve("kustomization.yaml")).get(0);
        return k.get("resources");
    }

    /** Fails on fields the typed model does not know: they end up in additionalProperties. */
    static void assertNoUnknownFields(Object o, String where) {
        if (o == null || o instanceof GenericKubernetesResource) {
            return;
        }
        if (o instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                assertNoUnknownFields(item, where + "[" + i++ + "]");
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> assertNoUnknownFields(v, where + "." + k));
            return;
        }
        if (!o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (!m.getName().startsWith("get") || m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class || m.getReturnType().isPrimitive()) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (m.getName().equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) value;
                if (extra != null && !extra.isEmpty()) {
                    fail(where + ": unknown field(s) " + extra.keySet());
                }
            } else {
                assertNoUnknownFields(value, where + "." + m.getName().substring(3));
            }
        }
    }

    // --- kubectl ---

    static boolean onPath(String command) {
        return Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    static List<HasMetadata> kustomize(Path dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " timed out");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + text);
        List<HasMetadata> objects = parse(text);
        objects.forEach(o -> assertNoUnknownFields(o, "kubectl kustomize " + dir + ": " + o.getKind()));
        return objects;
    }

    static Set<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getApiVersion() + "/" + o.getKind()).collect(Collectors.toCollection(TreeSet::new));
    }
}
