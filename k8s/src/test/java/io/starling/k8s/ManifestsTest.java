package io.starling.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the base and every overlay and checks what an API server and a reviewer would: no API
 * server can run here, so this is the check before a cluster sees the manifests.
 */
class ManifestsTest {

    static final Path K8S = ControlPlaneConfig.REPO.resolve("k8s");
    static final String CONTROL_PLANE = "starling-control-plane";
    static final String CONTROL_PLANE_IMAGE = "starling/control-plane";
    static final String WRITABLE_ROOT = "starling.io/writable-root-filesystem";
    static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\((\\w+)\\)");

    /**
     * The ConfigMaps and Secrets an installation creates itself, per folder; docs/operations.md
     * lists them (operatorSuppliedObjectsAreDocumented). Everything else a manifest names must be
     * in the render.
     */
    static final Map<String, Set<String>> OPERATOR_SUPPLIED = Map.of(
            "base", Set.of("starling-database", "starling-keycloak-client", "starling-blob-store", "starling-signing-key",
                    "starling-tls"),
            "production", Set.of("starling-database", "starling-keycloak-client", "starling-blob-store",
                    "starling-signing-key", "starling-tls"),
            "demo", Set.of("starling-signing-key", "starling-tls"));

    /**
     * Variables named in the manifests for settings of the S3 blob store, which lands with issue
     * 15's S3 store. Until a {@code starling.blob-store} mapping exists in the control plane they are
     * accepted as announced; from then on each must be one of its settings.
     */
    static final String ANNOUNCED_PREFIX = "STARLING_BLOB_STORE_";

    static final Map<String, Rendered> PARSED = new ConcurrentHashMap<>();
    static ControlPlaneConfig config;

    @BeforeAll
    static void readTheControlPlanesConfiguration() {
        config = ControlPlaneConfig.read();
    }

    static Stream<String> folders() {
        List<String> folders = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(folders::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return folders.stream();
    }

    static Stream<String> overlays() {
        return folders().filter(f -> !f.equals("base"));
    }

    static Rendered render(String folder) {
        assumeTrue(Kustomize.renderer().isPresent(),
                "neither kubectl nor kustomize is on the PATH: the manifests under k8s/ were not rendered or checked"
                        + " (install Debian's kubernetes-client, or set -Dstarling.kubectl=/path/to/kubectl)");
        Path dir = folder.equals("base") ? K8S.resolve("base") : K8S.resolve("overlays").resolve(folder);
        // Parsed once per folder: the checks only read the objects.
        return PARSED.computeIfAbsent(folder, f -> Rendered.parse(Kustomize.render(dir)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void everyObjectIsAKubernetesObjectWithNoFieldTheApiServerWouldRefuse(String folder) {
        Rendered rendered = render(folder);

        assertThat(rendered.objects).as("objects rendered").isNotEmpty();
        List<String> unknown = rendered.objects.stream().flatMap(o -> UnknownFields.in(o).stream()).toList();
        assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void selectorsFindThePodsTheyAreMeantFor(String folder) {
        Rendered rendered = render(folder);

        for (Deployment deployment : rendered.all(Deployment.class)) {
            assertThat(Rendered.labelsMatch(deployment.getSpec().getSelector().getMatchLabels(),
                    deployment.getSpec().getTemplate().getMetadata().getLabels()))
                    .as("Deployment %s selects its own pods", Rendered.name(deployment)).isTrue();
        }
        for (Service service : rendered.all(Service.class)) {
            List<Rendered.Pod> pods = rendered.podsMatching(service.getSpec().getSelector());
            assertThat(pods).as("pods of Service %s", Rendered.name(service)).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                for (Rendered.Pod pod : pods) {
                    assertThat(declares(pod.template().getSpec(), port.getTargetPort(), port.getProtocol()))
                            .as("Service %s port %s reaches a port %s declares", Rendered.name(service), port.getName(),
                                    pod.owner())
                            .isTrue();
                }
            }
        }
        for (PodDisruptionBudget budget : rendered.all(PodDisruptionBudget.class)) {
            assertThat(rendered.podsMatching(budget.getSpec().getSelector().getMatchLabels()))
                    .as("pods of PodDisruptionBudget %s", Rendered.name(budget)).isNotEmpty();
        }
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            List<Rendered.Pod> pods = rendered.podsMatching(policy.getSpec().getPodSelector().getMatchLabels());
            assertThat(pods).as("pods of NetworkPolicy %s", Rendered.name(policy)).isNotEmpty();
            policy.getSpec().getIngress().forEach(rule -> rule.getPorts().forEach(port -> pods.forEach(pod -> assertThat(
                    declares(pod.template().getSpec(), port.getPort(), port.getProtocol()))
                    .as("NetworkPolicy %s port %s is a port of %s", Rendered.name(policy), port.getPort(), pod.owner())
                    .isTrue())));
        }
        for (Ingress ingress : rendered.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths()
                    .forEach(path -> assertThat(servicePortExists(rendered, path.getBackend()))
                            .as("Ingress %s path %s names a Service port in the render", Rendered.name(ingress), path.getPath())
                            .isTrue()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void everyConfigMapAndSecretNamedIsRenderedOrSuppliedByTheOperator(String folder) {
        Rendered rendered = render(folder);
        Set<String> supplied = OPERATOR_SUPPLIED.get(folder);
        assertThat(supplied).as("k8s/%s has a list of operator-supplied objects in this test", folder).isNotNull();

        List<String> missing = new ArrayList<>();
        for (Rendered.Pod pod : rendered.pods()) {
            for (Container container : containers(pod.template().getSpec())) {
                String where = pod.owner() + " container " + container.getName();
                Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).forEach(from -> {
                    if (from.getConfigMapRef() != null) {
                        configMapKey(rendered, supplied, from.getConfigMapRef().getName(), null, where, missing);
                    }
                    if (from.getSecretRef() != null) {
                        secretKey(rendered, supplied, from.getSecretRef().getName(), null, where, missing);
                    }
                });
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    if (env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        secretKey(rendered, supplied, ref.getName(), ref.getKey(), where + " " + env.getName(), missing);
                    }
                    if (env.getValueFrom().getConfigMapKeyRef() != null) {
                        var ref = env.getValueFrom().getConfigMapKeyRef();
                        configMapKey(rendered, supplied, ref.getName(), ref.getKey(), where + " " + env.getName(), missing);
                    }
                }
            }
            for (Volume volume : Optional.ofNullable(pod.template().getSpec().getVolumes()).orElse(List.of())) {
                String where = pod.owner() + " volume " + volume.getName();
                if (volume.getSecret() != null) {
                    String name = volume.getSecret().getSecretName();
                    Optional.ofNullable(volume.getSecret().getItems()).filter(items -> !items.isEmpty())
                            .ifPresentOrElse(items -> items.forEach(i -> secretKey(rendered, supplied, name, i.getKey(), where, missing)),
                                    () -> secretKey(rendered, supplied, name, null, where, missing));
                }
                if (volume.getConfigMap() != null) {
                    String name = volume.getConfigMap().getName();
                    Optional.ofNullable(volume.getConfigMap().getItems()).filter(items -> !items.isEmpty())
                            .ifPresentOrElse(items -> items.forEach(i -> configMapKey(rendered, supplied, name, i.getKey(), where, missing)),
                                    () -> configMapKey(rendered, supplied, name, null, where, missing));
                }
            }
        }
        for (Ingress ingress : rendered.all(Ingress.class)) {
            ingress.getSpec().getTls().forEach(tls -> secretKey(rendered, supplied, tls.getSecretName(), null,
                    "Ingress " + Rendered.name(ingress) + " tls", missing));
        }
        assertThat(missing).as("ConfigMaps, Secrets and keys named but neither rendered nor operator-supplied").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void operatorSuppliedObjectsAreListedInTheOperationsGuide(String folder) throws IOException {
        String guide = Files.readString(ControlPlaneConfig.REPO.resolve("docs/operations.md"));

        for (String name : OPERATOR_SUPPLIED.get(folder)) {
            assertThat(guide).as("docs/operations.md names %s", name).contains("`" + name + "`");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void probesAskTheControlPlanesHealthEndpointsOnThePortThatServesThem(String folder) {
        Rendered rendered = render(folder);
        Deployment deployment = rendered.get(Deployment.class, CONTROL_PLANE);
        Container container = controlPlaneContainer(deployment);
        Map<String, String> env = environment(rendered, container);

        // Quarkus serves health under the non-application root (q) at health/{live,ready,started},
        // on the main port unless the management interface is told to serve it.
        String root = "/" + config.property("quarkus.http.non-application-root-path", "q") + "/"
                + config.property("quarkus.smallrye-health.root-path", "health") + "/";
        boolean onManagement = Boolean.parseBoolean(config.property("quarkus.management.enabled", "false"))
                && Boolean.parseBoolean(config.property("quarkus.smallrye-health.management.enabled", "false"));
        int port = onManagement ? Integer.parseInt(env.getOrDefault("STARLING_MANAGEMENT_PORT", "9000"))
                : Integer.parseInt(env.getOrDefault("QUARKUS_HTTP_PORT", config.property("quarkus.http.port", "8080")));
        String host = onManagement ? env.get("STARLING_MANAGEMENT_HOST") : env.get("QUARKUS_HTTP_HOST");
        assertThat(host).as("the kubelet probes the pod's address: the listener on port %d must take it", port)
                .isEqualTo("0.0.0.0");

        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put(config.property("quarkus.smallrye-health.startup-path", "started"), container.getStartupProbe());
        probes.put(config.property("quarkus.smallrye-health.liveness-path", "live"), container.getLivenessProbe());
        probes.put(config.property("quarkus.smallrye-health.readiness-path", "ready"), container.getReadinessProbe());
        probes.forEach((path, probe) -> {
            assertThat(probe).as("the %s probe", path).isNotNull();
            HTTPGetAction get = probe.getHttpGet();
            assertThat(get).as("the %s probe is an HTTP GET", path).isNotNull();
            assertThat(get.getPath()).isEqualTo(root + path);
            assertThat(containerPort(container, get.getPort())).as("port of the %s probe", path).contains(port);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void everyProbeAsksAPortItsContainerDeclares(String folder) {
        for (Placed placed : placedContainers(render(folder))) {
            Container container = placed.container();
            for (Probe probe : Stream.of(container.getStartupProbe(), container.getLivenessProbe(),
                    container.getReadinessProbe()).filter(Objects::nonNull).toList()) {
                IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                        : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
                if (port != null) {
                    assertThat(containerPort(container, port)).as("%s probes port %s", placed.where(), port).isPresent();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void everyImageIsPinnedToAVersionOrADigest(String folder) throws IOException {
        Rendered rendered = render(folder);
        String keycloak = Files.readString(ControlPlaneConfig.REPO.resolve("pom.xml"))
                .replaceAll("(?s).*<keycloak.dist.version>([^<]+)</keycloak.dist.version>.*", "$1");

        for (Placed placed : placedContainers(rendered)) {
            String image = placed.container().getImage();
            String where = placed.where() + " image " + image;
            boolean digest = image.matches(".+@sha256:[0-9a-f]{64}");
            String tag = image.replaceAll(".*/", "").contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertThat(digest || (!tag.isEmpty() && !tag.equals("latest"))).as(where + ": a version tag or a digest").isTrue();
            if (image.startsWith("quay.io/keycloak/keycloak:")) {
                assertThat(tag).as(where + ": the Keycloak the tests run (keycloak.dist.version)").isEqualTo(keycloak);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void podsRunAsNonRootWithoutPrivilegesOnAReadOnlyRoot(String folder) {
        Rendered rendered = render(folder);

        for (Rendered.Pod pod : rendered.pods()) {
            PodSpec spec = pod.template().getSpec();
            PodSecurityContext podContext = Optional.ofNullable(spec.getSecurityContext()).orElseGet(PodSecurityContext::new);
            assertThat(spec.getHostNetwork()).as(pod.owner() + " host network").isNotEqualTo(Boolean.TRUE);
            assertThat(spec.getAutomountServiceAccountToken()).as(pod.owner() + " mounts no API token").isFalse();
            assertThat(podContext.getSeccompProfile()).as(pod.owner() + " seccomp profile").isNotNull();
            assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            Map<String, String> annotations = Optional.ofNullable(pod.template().getMetadata().getAnnotations()).orElse(Map.of());
            for (Container container : containers(spec)) {
                String where = pod.owner() + " container " + container.getName();
                SecurityContext context = container.getSecurityContext();
                assertThat(context).as(where + " security context").isNotNull();
                Long uid = Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser());
                assertThat(Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot()))
                        .as(where + " runAsNonRoot").isTrue();
                assertThat(uid).as(where + " runs as a numeric user other than root").isNotNull().isNotZero();
                assertThat(context.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(context.getPrivileged()).as(where + " privileged").isNotEqualTo(Boolean.TRUE);
                assertThat(context.getCapabilities().getDrop()).as(where + " drops every capability").contains("ALL");
                assertThat(Optional.ofNullable(context.getCapabilities().getAdd()).orElse(List.of())).as(where + " adds none").isEmpty();
                assertThat(Optional.ofNullable(container.getPorts()).orElse(List.of()).stream().map(ContainerPort::getHostPort)
                        .filter(Objects::nonNull).toList()).as(where + " host ports").isEmpty();
                if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
                    assertThat(annotations.getOrDefault(WRITABLE_ROOT, "")).as(where
                            + " has a writable root file system: allowed only with the pod annotation " + WRITABLE_ROOT
                            + " saying why").isNotBlank();
                    assertThat(container.getImage()).as("the control plane always runs on a read-only root")
                            .doesNotContain(CONTROL_PLANE_IMAGE);
                }
            }
        }
        for (Namespace namespace : rendered.all(Namespace.class)) {
            assertThat(namespace.getMetadata().getLabels()).as("Pod Security level of namespace " + Rendered.name(namespace))
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void theControlPlaneRunsTwoOrMoreReplicasThatADrainTakesOneAtATime(String folder) {
        Rendered rendered = render(folder);
        Deployment deployment = rendered.get(Deployment.class, CONTROL_PLANE);

        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .as("a rolling update stops no replica before its successor is ready").isEqualTo(new IntOrString(0));
        PodDisruptionBudget budget = rendered.get(PodDisruptionBudget.class, CONTROL_PLANE);
        assertThat(Rendered.labelsMatch(budget.getSpec().getSelector().getMatchLabels(),
                deployment.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void agentsOutsideTheClusterReachTheOriginSeedersAndTheHttpsEndpoint(String folder) {
        Rendered rendered = render(folder);
        Container container = controlPlaneContainer(rendered.get(Deployment.class, CONTROL_PLANE));
        Map<String, String> env = environment(rendered, container);

        assertThat(env.get("STARLING_SEED_LISTEN_INTERFACE")).startsWith("0.0.0.0:");
        int listenPort = Integer.parseInt(env.get("STARLING_SEED_LISTEN_INTERFACE").replaceAll(".*:", ""));
        Service seeder = rendered.get(Service.class, "starling-origin-seeder");
        assertThat(seeder.getSpec().getType()).isIn("LoadBalancer", "NodePort");
        for (ServicePort port : seeder.getSpec().getPorts()) {
            assertThat(containerPort(container, port.getTargetPort())).as("seeder Service port " + port.getName()).contains(listenPort);
        }
        if (!folder.equals("base")) {
            assertThat(env.get("STARLING_SEED_ADVERTISED_ADDRESS"))
                    .as("what the tracker hands out for the seeders: the Service's address, set by the overlay")
                    .isNotBlank().doesNotStartWith("0.0.0.0");
        }

        Ingress ingress = rendered.get(Ingress.class, CONTROL_PLANE);
        assertThat(ingress.getSpec().getTls()).as("the Ingress serves HTTPS").isNotEmpty();
        Set<String> tlsHosts = ingress.getSpec().getTls().stream().flatMap(t -> t.getHosts().stream())
                .collect(Collectors.toSet());
        ingress.getSpec().getRules().forEach(rule -> assertThat(tlsHosts).as("certificate hosts").contains(rule.getHost()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void everyStarlingVariableIsASettingTheControlPlaneHas(String folder) {
        Rendered rendered = render(folder);
        Container container = controlPlaneContainer(rendered.get(Deployment.class, CONTROL_PLANE));
        boolean blobStoreMapped = config.hasMapping("starling.blob-store");

        List<String> unknown = environment(rendered, container).keySet().stream()
                .filter(name -> name.startsWith("STARLING_"))
                .filter(name -> !config.knowsStarlingVariable(name))
                .filter(name -> blobStoreMapped || !name.startsWith(ANNOUNCED_PREFIX))
                .toList();
        assertThat(unknown).as("variables that name no setting of the control plane (its @ConfigMapping interfaces and"
                + " application.properties)").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void theSigningKeyIsReadFromWhereTheInitContainerPutsIt(String folder) {
        Rendered rendered = render(folder);
        Deployment deployment = rendered.get(Deployment.class, CONTROL_PLANE);
        Map<String, String> env = environment(rendered, controlPlaneContainer(deployment));

        String keyFile = env.get("STARLING_SIGNING_KEY_FILE");
        assertThat(env.get("STARLING_SIGNING_GENERATE_IF_MISSING")).as("replicas must share one key, never make their own")
                .isEqualTo("false");
        Container init = deployment.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("signing-key")).findFirst().orElseThrow();
        assertThat(init.getCommand()).as("the copy is the owner's alone").containsSubsequence("-m", "0600").endsWith(keyFile);
    }

    /** What an overlay must set that the base leaves open. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void forwardedClientAddressesAreBelievedOnlyFromNamedProxies(String folder) {
        Rendered rendered = render(folder);
        Map<String, String> env = environment(rendered, controlPlaneContainer(rendered.get(Deployment.class, CONTROL_PLANE)));

        if (Boolean.parseBoolean(env.get("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"))) {
            assertThat(env.get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"))
                    .as("the prod profile refuses forwarding from anyone (production.DemoDefaults)").isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void variablesReferToVariablesDefinedBeforeThem(String folder) {
        for (Placed placed : placedContainers(render(folder))) {
            List<String> defined = new ArrayList<>();
            for (EnvVar env : Optional.ofNullable(placed.container().getEnv()).orElse(List.of())) {
                Matcher reference = VARIABLE_REFERENCE.matcher(Optional.ofNullable(env.getValue()).orElse(""));
                while (reference.find()) {
                    assertThat(defined).as("%s: %s uses $(%s), which Kubernetes expands only when defined earlier in the list",
                            placed.where(), env.getName(), reference.group(1)).contains(reference.group(1));
                }
                defined.add(env.getName());
            }
        }
    }

    private static boolean servicePortExists(Rendered rendered, IngressBackend backend) {
        return rendered.find(Service.class, backend.getService().getName())
                .map(s -> s.getSpec().getPorts().stream().anyMatch(p -> backend.getService().getPort().getName() != null
                        ? backend.getService().getPort().getName().equals(p.getName())
                        : backend.getService().getPort().getNumber().equals(p.getPort())))
                .orElse(false);
    }

    private static Container controlPlaneContainer(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getImage().contains(CONTROL_PLANE_IMAGE)).findFirst()
                .orElseThrow(() -> new AssertionError("no container runs " + CONTROL_PLANE_IMAGE));
    }

    /** What the container's process sees: the ConfigMaps it takes whole, then its own variables over them. */
    private static Map<String, String> environment(Rendered rendered, Container container) {
        Map<String, String> env = new HashMap<>();
        Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).stream().filter(f -> f.getConfigMapRef() != null)
                .forEach(f -> rendered.configMap(f.getConfigMapRef().getName()).map(ConfigMap::getData).ifPresent(env::putAll));
        Optional.ofNullable(container.getEnv()).orElse(List.of())
                .forEach(e -> env.put(e.getName(), e.getValue() != null ? e.getValue() : "(from " + e.getValueFrom() + ")"));
        return env;
    }

    /** A container with the workload it belongs to, for messages. */
    record Placed(String where, Container container) {
    }

    private static List<Placed> placedContainers(Rendered rendered) {
        return rendered.pods().stream().flatMap(pod -> containers(pod.template().getSpec()).stream()
                .map(c -> new Placed(pod.owner() + " container " + c.getName(), c))).toList();
    }

    private static List<Container> containers(PodSpec spec) {
        List<Container> all = new ArrayList<>(spec.getContainers());
        Optional.ofNullable(spec.getInitContainers()).ifPresent(all::addAll);
        return all;
    }

    /** The number of a container port given by name or number, if the container declares it. */
    private static Optional<Integer> containerPort(Container container, IntOrString port) {
        return Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
                .filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName()) : port.getIntVal().equals(p.getContainerPort()))
                .map(ContainerPort::getContainerPort).findFirst();
    }

    private static boolean declares(PodSpec spec, IntOrString port, String protocol) {
        String wanted = protocol == null ? "TCP" : protocol;
        return spec.getContainers().stream().flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.of()).stream())
                .anyMatch(p -> (port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                        : port.getIntVal().equals(p.getContainerPort()))
                        && wanted.equals(p.getProtocol() == null ? "TCP" : p.getProtocol()));
    }

    private static void configMapKey(Rendered rendered, Set<String> supplied, String name, String key, String where,
            List<String> missing) {
        present("ConfigMap", rendered.configMap(name).map(c -> c.getData() == null ? Map.<String, String>of() : c.getData()), supplied, name, key, where, missing);
    }

    private static void secretKey(Rendered rendered, Set<String> supplied, String name, String key, String where,
            List<String> missing) {
        present("Secret", rendered.secret(name).map(c -> c.getData() == null ? Map.<String, String>of() : c.getData()), supplied, name, key, where, missing);
    }

    /** Notes what is missing: an object neither rendered nor supplied, or a key a rendered one lacks. */
    private static void present(String kind, Optional<Map<String, String>> data, Set<String> supplied, String name,
            String key, String where, List<String> missing) {
        if (data.isEmpty() && !supplied.contains(name)) {
            missing.add(where + ": " + kind + " " + name);
        } else if (data.isPresent() && key != null && !data.get().containsKey(key)) {
            missing.add(where + ": key " + key + " of " + kind + " " + name);
        }
    }
}
