package io.cqkd.dht.core.wire;

import io.cqkd.dht.api.NodeRole;
import java.util.List;

/**
 * The sender of a message: id (20 bytes), role, region and capabilities.
 *
 * @param id     20-byte node id
 * @param role   role
 * @param region region, "" for none
 * @param caps   capabilities
 */
public record Peer(byte[] id, NodeRole role, String region, List<String> caps) {
}
