package io.cqkd.dht.shell;

import io.cqkd.dht.api.NodeRole;
import java.time.Duration;

/** Test access to {@link DhtCommands} over {@link FakeDhtNode}s from other packages. */
public final class DhtCommandsAccess {
    private DhtCommandsAccess() {
    }

    /** Commands over fake nodes with these names (the first is a super node), ports 7000 on. */
    public static Object withFakeNodes(String... names) {
        FakeDhtNode.Net net = new FakeDhtNode.Net();
        DhtCommands commands = new DhtCommands(new NodeDirectory(), Duration.ofSeconds(2));
        int port = 7000;
        for (String name : names) {
            commands.bindNode(new FakeDhtNode(net, name, port == 7000 ? NodeRole.SUPER : NodeRole.WORKER, port++));
        }
        return commands;
    }

    /** Sets the state of the fake node {@code name} of commands made by {@link #withFakeNodes}. */
    public static void setState(Object commands, String name, io.cqkd.dht.api.NodeState state) {
        ((FakeDhtNode) ((DhtCommands) commands).directory().find(name)).state = state;
    }
}
