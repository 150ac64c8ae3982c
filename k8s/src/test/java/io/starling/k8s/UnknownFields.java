package io.starling.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields the Kubernetes model does not know. The fabric8 model keeps every JSON field it has no
 * property for (a misspelt {@code readinesProbe}, a field at the wrong level, a string where a
 * number belongs) in {@code additionalProperties} instead of failing, where an API server would
 * refuse the object ({@code kubectl apply} with server-side field validation). This walks the
 * whole object and lists each one with its path.
 */
final class UnknownFields {

    private final List<String> found = new ArrayList<>();
    private final Map<Object, Boolean> seen = new IdentityHashMap<>();

    private UnknownFields() {
    }

    static List<String> in(HasMetadata object) {
        UnknownFields walk = new UnknownFields();
        walk.visit(object, object.getKind() + "/" + object.getMetadata().getName());
        return walk.found;
    }

    private void visit(Object value, String path) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                visit(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> visit(v, path + "[" + k + "]"));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                } else {
                    visit(fieldValue, path + "." + field.getName());
                }
            }
        }
    }
}
