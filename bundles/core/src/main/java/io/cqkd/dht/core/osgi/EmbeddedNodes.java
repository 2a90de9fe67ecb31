package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.netty.UdpRuntime;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Nodes without an OSGi framework, built exactly as the node component builds them
 * ({@link NodeController} over {@link NodeRunner}, {@link KademliaEngines}, the Netty
 * {@link UdpRuntime} and the codec), for the benchmark and other embedders that link the core as a
 * plain jar. Not used inside the container.
 *
 * <p>Configuration is given as {@link NodeConfig} attributes by name ({@code "port"},
 * {@code "bootstrap"}, {@code "k"} ...) over the same declared defaults SCR would apply; the
 * environment is never read.
 */
public final class EmbeddedNodes {
    private final RuntimeContext context;

    /**
     * Nodes on {@code udp}.
     *
     * @param udp               shared event loops (owned by the caller, closed after the nodes)
     * @param defaultClusterKey cluster key for nodes that configure none ("" for none)
     * @param timestampWindow   accepted clock difference of authenticated datagrams
     */
    public EmbeddedNodes(UdpRuntime udp, String defaultClusterKey, Duration timestampWindow) {
        this.context = new RuntimeContext(udp, defaultClusterKey, timestampWindow);
    }

    /**
     * A node, not started ({@link NodeController#start()} binds and starts it).
     *
     * @param name       node name (also the default for the {@code name} attribute)
     * @param attributes {@link NodeConfig} attributes by method name; unknown names are refused
     * @throws IllegalArgumentException for an unknown attribute or a value of the wrong type
     */
    public NodeController create(String name, Map<String, ?> attributes) {
        return new NodeController(name, config(attributes), Map::of, context, KademliaEngines.FACTORY);
    }

    /** The node's counters (the same object the transport and the engine write). */
    public static Counters counters(NodeController node) {
        return node.counters();
    }

    /** Contacts in the running node's routing table (a volatile read, no allocation); 0 when not running. */
    public static int routingTableSize(NodeController node) {
        NodeEngine e = node.engine();
        return e == null ? 0 : e.routingTableSize();
    }

    /** The running engine's own state, without building a status snapshot. */
    public static NodeState engineState(NodeController node) {
        NodeEngine e = node.engine();
        return e == null ? NodeState.STOPPED : e.state();
    }

    /** A {@link NodeConfig} with {@code attributes} over the declared defaults, as SCR would build it. */
    static NodeConfig config(Map<String, ?> attributes) {
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            Method m;
            try {
                m = NodeConfig.class.getMethod(e.getKey());
            } catch (NoSuchMethodException ex) {
                throw new IllegalArgumentException("no node attribute '" + e.getKey() + "'");
            }
            values.put(e.getKey(), coerce(e.getKey(), m.getReturnType(), Objects.requireNonNull(e.getValue(), e.getKey())));
        }
        return (NodeConfig) Proxy.newProxyInstance(NodeConfig.class.getClassLoader(), new Class<?>[] {NodeConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> NodeConfig.class;
                    case "toString" -> "NodeConfig" + values.keySet();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    private static Object coerce(String name, Class<?> type, Object v) {
        if (type == int.class && v instanceof Number n) {
            return n.intValue();
        }
        if (type == long.class && v instanceof Number n) {
            return n.longValue();
        }
        if (type == double.class && v instanceof Number n) {
            return n.doubleValue();
        }
        if (type == boolean.class && v instanceof Boolean) {
            return v;
        }
        if (type == String.class && v instanceof String) {
            return v;
        }
        if (type == String[].class && v instanceof String[]) {
            return ((String[]) v).clone();
        }
        throw new IllegalArgumentException("node attribute '" + name + "' must be " + type.getSimpleName()
                + ", got " + v.getClass().getSimpleName());
    }
}
