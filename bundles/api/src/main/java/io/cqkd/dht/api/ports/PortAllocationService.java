package io.cqkd.dht.api.ports;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Allocates ports for nodes with the active {@link PortAllocator} strategy, the configured
 * ranges and security policy, recording every allocation in the container's registry.
 */
@ProviderType
public interface PortAllocationService {
    /**
     * Finds a port for {@code request} and binds it through {@code binder}: an explicit port is
     * bound as given; otherwise candidates come from the active strategy, blocked and foreign
     * ports are skipped, and the first port the binder manages to bind wins.
     *
     * @throws PortAllocationException with the reason (policy refusal, range exhausted, no strategy)
     */
    PortLease allocate(PortRequest request, PortBinder binder) throws PortAllocationException;
}
