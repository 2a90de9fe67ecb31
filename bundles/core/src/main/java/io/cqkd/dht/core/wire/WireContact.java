package io.cqkd.dht.core.wire;

import io.cqkd.dht.api.NodeRole;
import java.util.List;

/**
 * A contact inside a {@link Message.Nodes} response.
 *
 * @param id     20-byte node id
 * @param ip     4 or 16 address bytes
 * @param port   UDP port
 * @param role   role
 * @param region region, "" for none
 * @param caps   capabilities
 */
public record WireContact(byte[] id, byte[] ip, int port, NodeRole role, String region, List<String> caps) {
}
