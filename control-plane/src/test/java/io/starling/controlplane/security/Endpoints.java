package io.starling.controlplane.security;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every JAX-RS endpoint of the control plane, read from its compiled resource classes, so that
 * the security tests cover an endpoint the day it is added instead of the day someone remembers.
 */
record Endpoints() {

    /** One resource method: its HTTP method, its path with sample values, and who may call it. */
    record Endpoint(String method, String template, String path, Set<String> roles, boolean permitAll, String javaMethod) {

        boolean mutating() {
            return !method.equals("GET") && !method.equals("HEAD");
        }

        boolean agentApi() {
            return template.startsWith("/api/agent/");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static final Map<Class<? extends Annotation>, String> HTTP_METHODS = Map.of(GET.class, "GET",
            POST.class, "POST", PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH", HEAD.class, "HEAD");

    static final String ID = "0b6c7f7e-5d1a-4a47-9a43-0f3e2c1d9b21";

    /** A value for each path parameter; a new parameter name needs one here. */
    private static final Map<String, String> SAMPLES = Map.of("product", "office", "version", "1.0", "file", "setup.bin",
            "id", ID, "site", "berlin", "passkey", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "upload", ID, "part", "1");

    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)(?::[^}]*)?}");

    static List<Endpoint> all() {
        List<Endpoint> out = new ArrayList<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.starling.controlplane").stream()
                .filter(c -> c.isAnnotatedWith(Path.class))
                .forEach(c -> {
                    Class<?> type = c.reflect();
                    for (Method m : type.getMethods()) {
                        String http = httpMethod(m);
                        if (http != null) {
                            out.add(endpoint(type, m, http));
                        }
                    }
                });
        out.sort(Comparator.comparing(Endpoint::template).thenComparing(Endpoint::method));
        return out;
    }

    private static String httpMethod(Method m) {
        for (Map.Entry<Class<? extends Annotation>, String> e : HTTP_METHODS.entrySet()) {
            if (m.isAnnotationPresent(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Endpoint endpoint(Class<?> type, Method m, String http) {
        String template = type.getAnnotation(Path.class).value();
        Path sub = m.getAnnotation(Path.class);
        if (sub != null) {
            template = template.replaceAll("/$", "") + "/" + sub.value().replaceAll("^/", "");
        }
        RolesAllowed roles = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class)
                : type.getAnnotation(RolesAllowed.class);
        boolean permitAll = m.isAnnotationPresent(PermitAll.class)
                || (roles == null && type.isAnnotationPresent(PermitAll.class));
        return new Endpoint(http, template, sample(template), roles == null ? Set.of() : Set.of(roles.value()),
                permitAll, type.getSimpleName() + "." + m.getName());
    }

    private static String sample(String template) {
        Matcher m = PARAM.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = SAMPLES.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("No sample value for path parameter {" + m.group(1) + "} of " + template
                        + "; add one to Endpoints.SAMPLES.");
            }
            m.appendReplacement(out, value);
        }
        return m.appendTail(out).toString();
    }
}
