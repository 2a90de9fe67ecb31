package io.cqkd.dht.core.osgi;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds annotation-typed configurations the way SCR does: given values over the declared defaults. */
final class Configs {
    private Configs() {
    }

    static NodeConfig node(Object... keyValues) {
        return of(NodeConfig.class, keyValues);
    }

    static RuntimeConfig runtime(Object... keyValues) {
        return of(RuntimeConfig.class, keyValues);
    }

    @SuppressWarnings("unchecked")
    static <A> A of(Class<A> type, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        for (String k : values.keySet()) {
            try {
                type.getMethod(k);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no attribute " + k + " in " + type.getSimpleName());
            }
        }
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + values;
            }
            if (method.getName().equals("hashCode")) {
                return values.hashCode();
            }
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            Object v = values.get(method.getName());
            return v != null ? v : method.getDefaultValue();
        });
    }
}
