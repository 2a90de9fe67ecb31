package io.cqkd.dht.api.ports;

import io.cqkd.dht.api.NodeRole;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a node asks for when it needs a port. Empty optionals mean "not given".
 *
 * @param nodeName     configuration name of the requesting node (owner in the registry)
 * @param role         the node's role; selects the port range
 * @param explicitPort an explicit port (DHT_PORT or the node's configured port): always wins
 * @param workerId     WORKER_ID, 1-based
 * @param slot         Docker Swarm task slot ({@code {{.Task.Slot}}}), 1-based
 * @param podName      Kubernetes pod name of a StatefulSet ({@code cqkd-worker-17}), ordinal 0-based
 */
public record PortRequest(String nodeName, NodeRole role, OptionalInt explicitPort, OptionalInt workerId,
                          OptionalInt slot, Optional<String> podName) {
    /** Rejects nulls. */
    public PortRequest {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(explicitPort, "explicitPort");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(podName, "podName");
    }
}
