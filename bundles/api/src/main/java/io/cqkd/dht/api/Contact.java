package io.cqkd.dht.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A node as others see it: id, UDP address and record.
 *
 * @param id      the node id
 * @param address resolved UDP address
 * @param record  role, region, capabilities
 */
public record Contact(NodeId id, InetSocketAddress address, NodeRecord record) {
    /** Rejects nulls and unresolved addresses. */
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(record, "record");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
    }

    /** {@code host:port} with a literal IP. */
    public String endpoint() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
