/**
 * Public API of the CQKD DHT: the {@link io.cqkd.dht.api.DhtNode} service that protocol code
 * (Alice, Bob, workers) uses to store, retrieve and delete JSON values and to find nodes, and the
 * value types it speaks in (ids, contacts, node records, results).
 *
 * <p>Every {@code DhtNode} is one Kademlia node; a container registers one service per node
 * configuration, with the service properties {@code dht.node.name}, {@code dht.node.id},
 * {@code dht.node.role} and {@code dht.node.region}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cqkd.dht.api;
