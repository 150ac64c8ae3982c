package io.starling.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A rendered overlay as the fabric8 Kubernetes model reads it: one typed object per document. */
final class Rendered {

    /** A workload's pod template, named after its owner for messages. */
    record Pod(String owner, PodTemplateSpec template) {
    }

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    final List<HasMetadata> objects;

    private Rendered(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /**
     * Parses every document; a kind or apiVersion the model does not know (a typo, or an API
     * removed from Kubernetes) comes back as a generic resource and is refused here.
     */
    static Rendered parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            HasMetadata object = SERIALIZATION.unmarshal(doc, HasMetadata.class);
            if (object instanceof GenericKubernetesResource generic) {
                throw new AssertionError("not a Kubernetes API object the model knows: " + generic.getApiVersion() + " "
                        + generic.getKind() + " " + generic.getMetadata().getName());
            }
            objects.add(object);
        }
        return new Rendered(List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                + " in the render; there are: " + all(type).stream().map(o -> o.getMetadata().getName()).toList()));
    }

    /** A generated ConfigMap or Secret carries a hash suffix: found by the name the sources use. */
    Optional<ConfigMap> configMap(String name) {
        return find(ConfigMap.class, name);
    }

    Optional<Secret> secret(String name) {
        return find(Secret.class, name);
    }

    /** The pod templates of every workload. */
    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        all(Deployment.class).forEach(d -> pods.add(new Pod("Deployment " + name(d), d.getSpec().getTemplate())));
        all(StatefulSet.class).forEach(s -> pods.add(new Pod("StatefulSet " + name(s), s.getSpec().getTemplate())));
        all(DaemonSet.class).forEach(s -> pods.add(new Pod("DaemonSet " + name(s), s.getSpec().getTemplate())));
        all(Job.class).forEach(j -> pods.add(new Pod("Job " + name(j), j.getSpec().getTemplate())));
        return pods;
    }

    /** The pods whose labels include every one of {@code selector}. */
    List<Pod> podsMatching(Map<String, String> selector) {
        return pods().stream().filter(p -> labelsMatch(selector, p.template().getMetadata().getLabels())).toList();
    }

    static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    @Override
    public String toString() {
        return Arrays.toString(objects.stream().map(o -> o.getKind() + "/" + name(o)).toArray());
    }
}
