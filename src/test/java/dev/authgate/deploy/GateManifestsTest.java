package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.authgate.gate.Gate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * k8s/examples: Authgate's gate in front of an example upstream with ingress-nginx, Traefik and Envoy Gateway.
 * The manifests must parse, the route rules in the ConfigMap must be the ones the proxy tests run with, every
 * proxy must ask /gate/check of the Service in k8s/base and pass on exactly the gate's identity headers (and
 * no client's own), and must send requests to the example upstream. Plain JUnit: nothing starts.
 */
class GateManifestsTest {

    static final Path EXAMPLES = ManifestsTest.K8S.resolve("examples");
    static final List<String> PROXIES = List.of("ingress-nginx.yaml", "traefik.yaml", "envoy-gateway.yaml");
    static final List<String> IDENTITY = Gate.IDENTITY_HEADERS;

    static Map<String, List<HasMetadata>> files = new java.util.TreeMap<>();
    static Service authgate;
    static Service upstream;

    @BeforeAll
    static void load() throws IOException {
        for (Path file : ManifestsTest.yamlFiles(EXAMPLES)) {
            files.put(file.getFileName().toString(), ManifestsTest.parse(file));
        }
        authgate = ManifestsTest.parse(ManifestsTest.BASE.resolve("service.yaml")).stream()
                .map(Service.class::cast).findFirst().orElseThrow();
        upstream = all(Service.class).get(0);
    }

    static <T> List<T> all(Class<T> type) {
        return files.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).toList();
    }

    static ConfigMap configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    static GenericKubernetesResource crd(String file, String kind, String name) {
        return files.get(file).stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .map(GenericKubernetesResource.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no " + kind + " " + name));
    }

    /** The address in-cluster of the Service of k8s/base, on its port 80. */
    static String gateUrl() {
        assertEquals(80, authgate.getSpec().getPorts().get(0).getPort());
        return "http://" + authgate.getMetadata().getName() + ".default.svc.cluster.local" + Gate.PATH;
    }

    @Test
    void everyManifestParsesWithNoUnknownFieldAndTheKustomizationListsTheCommonParts() throws IOException {
        Set<String> kinds = new TreeSet<>();
        files.forEach((file, objects) -> objects.forEach(o -> {
            ManifestsTest.assertNoUnknownFields(o, file + ": " + o.getKind());
            kinds.add(o.getClass().getSimpleName() + "/" + o.getKind());
        }));
        assertEquals(new TreeSet<>(List.of("ConfigMap/ConfigMap", "Deployment/Deployment", "Service/Service",
                "Ingress/Ingress", "GenericKubernetesResource/Middleware", "GenericKubernetesResource/IngressRoute",
                "HTTPRoute/HTTPRoute", "GenericKubernetesResource/SecurityPolicy",
                "GenericKubernetesResource/ClientTrafficPolicy", "GenericKubernetesResource/Kustomization")), kinds);

        assertEquals(List.of("../base", "gate-routes.yaml", "upstream.yaml"), ManifestsTest.resources(EXAMPLES));
        GenericKubernetesResource k = (GenericKubernetesResource) files.get("kustomization.yaml").get(0);
        List<Map<String, String>> patches = k.get("patches");
        assertEquals(List.of("authgate-gate-patch.yaml"), patches.stream().map(p -> p.get("path")).toList());
        Set<String> accounted = new TreeSet<>(List.of("kustomization.yaml", "gate-routes.yaml", "upstream.yaml",
                "authgate-gate-patch.yaml"));
        accounted.addAll(PROXIES);
        assertEquals(accounted, files.keySet(), "every file is a resource, the patch, or one of the proxies");
    }

    @Test
    void theRouteRulesAreTheOnesTheProxyTestsRunAndAuthgateReadsThem() throws IOException {
        ConfigMap routes = configMap("authgate-gate-routes");
        assertEquals(Files.readString(Path.of("examples/gate.properties")), routes.getData().get("gate.properties"));

        Deployment patch = all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("authgate"))
                .findFirst().orElseThrow();
        Container container = patch.getSpec().getTemplate().getSpec().getContainers().get(0);
        Deployment base = (Deployment) ManifestsTest.parse(ManifestsTest.BASE.resolve("deployment.yaml")).get(0);
        assertEquals(base.getMetadata().getName(), patch.getMetadata().getName());
        assertEquals(base.getSpec().getTemplate().getSpec().getContainers().get(0).getName(), container.getName(),
                "the patch names the base's container");
        var mount = container.getVolumeMounts().get(0);
        var volume = patch.getSpec().getTemplate().getSpec().getVolumes().get(0);
        assertEquals(mount.getName(), volume.getName());
        assertEquals(routes.getMetadata().getName(), volume.getConfigMap().getName());
        assertEquals(Boolean.TRUE, mount.getReadOnly());
        var locations = container.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_CONFIG_LOCATIONS"))
                .findFirst().orElseThrow();
        assertEquals(mount.getMountPath() + "/gate.properties", locations.getValue());
        assertFalse(mount.getMountPath().equals("/tmp"), "the base's /tmp emptyDir stays");
    }

    @Test
    void theExampleUpstreamIsReachableThroughItsService() {
        Deployment echo = all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("echo"))
                .findFirst().orElseThrow();
        assertEquals(echo.getSpec().getTemplate().getMetadata().getLabels(), upstream.getSpec().getSelector());
        assertEquals(echo.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getName(),
                upstream.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        ManifestsTest.assertLockedDown(echo.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext());
    }

    @Test
    void ingressNginxAsksTheGateAndCopiesExactlyItsIdentity() {
        Ingress ingress = files.get("ingress-nginx.yaml").stream().map(Ingress.class::cast).findFirst().orElseThrow();
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        assertEquals(gateUrl(), annotations.get("nginx.ingress.kubernetes.io/auth-url"));
        assertEquals(IDENTITY, Arrays.asList(annotations.get("nginx.ingress.kubernetes.io/auth-response-headers").split(",")));
        var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        assertEquals(upstream.getMetadata().getName(), backend.getName());
        assertEquals(upstream.getSpec().getPorts().get(0).getName(), backend.getPort().getName());
    }

    @Test
    void traefikStripsAClientsIdentityThenAsksTheGate() {
        GenericKubernetesResource auth = crd("traefik.yaml", "Middleware", "authgate");
        assertEquals("traefik.io/v1alpha1", auth.getApiVersion());
        assertEquals(gateUrl(), auth.get("spec", "forwardAuth", "address"));
        assertEquals(Boolean.FALSE, auth.get("spec", "forwardAuth", "trustForwardHeader"));
        assertEquals(IDENTITY, auth.get("spec", "forwardAuth", "authResponseHeaders"));
        Map<String, String> stripped = crd("traefik.yaml", "Middleware", "authgate-strip")
                .get("spec", "headers", "customRequestHeaders");
        assertEquals(IDENTITY, new ArrayList<>(stripped.keySet()));
        assertTrue(stripped.values().stream().allMatch(String::isEmpty), "an empty value removes the header");

        GenericKubernetesResource route = crd("traefik.yaml", "IngressRoute", "echo");
        List<Map<String, Object>> routes = route.get("spec", "routes");
        List<Map<String, String>> middlewares = (List<Map<String, String>>) routes.get(0).get("middlewares");
        assertEquals(List.of("authgate-strip", "authgate"), middlewares.stream().map(m -> m.get("name")).toList());
        List<Map<String, Object>> services = (List<Map<String, Object>>) routes.get(0).get("services");
        assertEquals(upstream.getMetadata().getName(), services.get(0).get("name"));
        assertEquals(upstream.getSpec().getPorts().get(0).getPort(), services.get(0).get("port"));
    }

    @Test
    void envoyGatewayRemovesAClientsIdentityEarlyAndAsksTheGate() {
        GenericKubernetesResource policy = crd("envoy-gateway.yaml", "SecurityPolicy", "authgate");
        assertEquals("gateway.envoyproxy.io/v1alpha1", policy.getApiVersion());
        List<Map<String, Object>> targets = policy.get("spec", "targetRefs");
        HTTPRoute route = files.get("envoy-gateway.yaml").stream().filter(HTTPRoute.class::isInstance)
                .map(HTTPRoute.class::cast).findFirst().orElseThrow();
        assertEquals(route.getMetadata().getName(), targets.get(0).get("name"));
        assertEquals("gateway.networking.k8s.io/v1", route.getApiVersion());
        assertEquals(route.getKind(), targets.get(0).get("kind"));
        List<Map<String, Object>> gateBackends = policy.get("spec", "extAuth", "http", "backendRefs");
        assertEquals(Map.of("name", authgate.getMetadata().getName(), "port", authgate.getSpec().getPorts().get(0).getPort()),
                gateBackends.get(0));
        // Envoy appends the original path to this one: /gate/check/<path>, which the gate reads
        assertEquals(Gate.PATH, policy.get("spec", "extAuth", "http", "path"));
        assertEquals(IDENTITY, policy.get("spec", "extAuth", "http", "headersToBackend"));
        // Envoy's HTTP ext_authz sends only Host, Method, Path, Content-Length and Authorization by default
        List<String> toGate = policy.get("spec", "extAuth", "headersToExtAuth");
        assertTrue(toGate != null && toGate.containsAll(List.of("X-Xano-Authorization", "X-Xano-Authorization-Only")),
                "the alternative token headers reach the gate: " + toGate);
        assertTrue(toGate.containsAll(List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")),
                "the gate sees method overrides, to refuse them: " + toGate);

        var backend = route.getSpec().getRules().get(0).getBackendRefs().get(0);
        assertEquals(upstream.getMetadata().getName(), backend.getName());
        assertEquals(upstream.getSpec().getPorts().get(0).getPort(), backend.getPort());

        GenericKubernetesResource early = crd("envoy-gateway.yaml", "ClientTrafficPolicy", "authgate-strip");
        List<Map<String, Object>> gateways = early.get("spec", "targetRefs");
        assertEquals(route.getSpec().getParentRefs().get(0).getName(), gateways.get(0).get("name"));
        assertEquals(IDENTITY, early.get("spec", "headers", "earlyRequestHeaders", "remove"));
    }

    @Test
    void everyProxyFileIsOnlyAboutItsProxy() {
        assertEquals(Set.of("Ingress", "ConfigMap"), kinds("ingress-nginx.yaml"));
        assertEquals(Set.of("Middleware", "IngressRoute", "ConfigMap"), kinds("traefik.yaml"));
        assertEquals(Set.of("HTTPRoute", "SecurityPolicy", "ClientTrafficPolicy", "ConfigMap"), kinds("envoy-gateway.yaml"));
    }

    /** Issue 23, finding 1: the gate believes only its proxy's description of the request, so it must know the proxy. */
    @Test
    void eachProxysFileTellsTheGateWhichProxyIsInFront() {
        Map<String, String> expected = Map.of("ingress-nginx.yaml", "ingress-nginx", "traefik.yaml", "traefik",
                "envoy-gateway.yaml", "envoy");
        for (String file : PROXIES) {
            List<ConfigMap> maps = files.get(file).stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                    .toList();
            assertEquals(1, maps.size(), file);
            assertEquals("authgate-gate-proxy", maps.get(0).getMetadata().getName(), file);
            assertEquals(Map.of("forwarded", expected.get(file)), maps.get(0).getData(), file);
        }
        Deployment patch = all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("authgate"))
                .findFirst().orElseThrow();
        var env = patch.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("AUTHGATE_GATE_FORWARDED")).findFirst().orElseThrow();
        assertEquals("authgate-gate-proxy", env.getValueFrom().getConfigMapKeyRef().getName());
        assertEquals("forwarded", env.getValueFrom().getConfigMapKeyRef().getKey());
        assertTrue(env.getValueFrom().getConfigMapKeyRef().getOptional() == null
                || !env.getValueFrom().getConfigMapKeyRef().getOptional(), "without it the gate would guess its proxy");
    }

    static Set<String> kinds(String file) {
        return files.get(file).stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    }
}
