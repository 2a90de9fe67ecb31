package io.cqkd.dht.shell.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlChannelTest {
    /** A Config with the metatype defaults, except the given values. */
    private static ControlChannel.Config config(Map<String, Object> values) {
        return (ControlChannel.Config) Proxy.newProxyInstance(ControlChannel.Config.class.getClassLoader(),
                new Class<?>[] {ControlChannel.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void environmentOverridesThePortWhenAllowedAndValid() {
        ControlChannel.Config defaults = config(Map.of());
        assertEquals(ControlProtocol.DEFAULT_PORT, ControlChannel.effectivePort(defaults, null));
        assertEquals(5611, ControlChannel.effectivePort(defaults, " 5611 "));
        assertEquals(ControlProtocol.DEFAULT_PORT, ControlChannel.effectivePort(defaults, "not-a-port"));
        assertEquals(ControlProtocol.DEFAULT_PORT, ControlChannel.effectivePort(defaults, "70000"));
        ControlChannel.Config pinned = config(Map.of("useEnvironment", false, "port", 5620));
        assertEquals(5620, ControlChannel.effectivePort(pinned, "5611"));
    }

    @Test
    void defaultsAreOutsideTheDhtPortRanges() {
        int p = config(Map.of()).port();
        boolean inDhtRange = (p >= 5678 && p <= 5761) || (p >= 6000 && p <= 6099) || (p >= 7000 && p <= 7999);
        assertEquals(false, inDhtRange, "control port " + p);
        assertEquals(ControlServer.Limits.MAX_LINE_DEFAULT, config(Map.of()).maxLineBytes());
    }
}
