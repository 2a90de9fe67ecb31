package io.cqkd.dht.core.wire;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cqkd.dht.api.NodeRole;
import java.util.List;

/**
 * A contact inside a {@link Message.Nodes} response, on the wire the array
 * {@code [id, ip, port, role, region, caps]} (envelope version 2; version 1 wrote a map with the
 * six names as keys). Positional because every FIND_NODE answer carries up to k of them: 20
 * IPv6 contacts as maps made a 1687-byte Nodes datagram, more than a 1500-byte Ethernet MTU holds
 * once the IP and UDP headers are added (so it travelled in fragments); as arrays it is 1127
 * bytes (IPv4: 887 instead of 1447), and the decoder no longer steps through six keys a contact.
 *
 * @param id     20-byte node id
 * @param ip     4 or 16 address bytes
 * @param port   UDP port
 * @param role   role
 * @param region region, "" for none
 * @param caps   capabilities
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"id", "ip", "port", "role", "region", "caps"})
public record WireContact(byte[] id, byte[] ip, int port, NodeRole role, String region, List<String> caps) {
}
