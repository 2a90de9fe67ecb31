package io.cqkd.dht.api.ports;

import org.osgi.annotation.versioning.ProviderType;

/** A port held by a node; closing it releases the registry entry (the node closes its socket). */
@ProviderType
public interface PortLease extends AutoCloseable {
    /** The bound port. */
    int port();

    /** Name of the strategy that chose it ({@code explicit} when the port was given). */
    String strategy();

    /** Releases the port in the registry. Idempotent. */
    @Override
    void close();
}
