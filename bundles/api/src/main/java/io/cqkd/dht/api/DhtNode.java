package io.cqkd.dht.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One Kademlia node of the CQKD DHT, as an OSGi service (one per node configuration).
 *
 * <p>All operations are asynchronous and never block the caller; they complete exceptionally
 * with a {@link DhtException} whose {@link DhtError} says what went wrong. Input is validated
 * before anything is sent: keys up to {@link DhtLimits#MAX_KEY_BYTES}, values must be JSON of at
 * most {@link DhtLimits#MAX_VALUE_BYTES}.
 */
@ProviderType
public interface DhtNode {
    /** Service property: the node's configuration name. */
    String PROP_NAME = "dht.node.name";
    /** Service property: the node id in hex. */
    String PROP_ID = "dht.node.id";
    /** Service property: the role ({@link NodeRole#configName()}). */
    String PROP_ROLE = "dht.node.role";
    /** Service property: the region. */
    String PROP_REGION = "dht.node.region";

    /** The configuration name (unique in a container). */
    String name();

    /** The node id. */
    NodeId id();

    /** How other nodes see this node (its bound address once bound). */
    Contact self();

    /** A snapshot of state and counters. */
    NodeStatus status();

    /** The routing table, bucket by bucket. */
    RoutingSnapshot routes();

    /**
     * Stores a JSON value on the k nodes closest to SHA-1(key), with a TTL. The publisher
     * republishes it before expiry for as long as it runs.
     */
    CompletionStage<StoreResult> put(String key, String json, Duration ttl);

    /** {@link #put(String, String, Duration)} with {@link DhtLimits#DEFAULT_TTL}. */
    default CompletionStage<StoreResult> put(String key, String json) {
        return put(key, json, DhtLimits.DEFAULT_TTL);
    }

    /** The newest live value under {@code key}, or empty when none (or deleted). */
    CompletionStage<Optional<DhtValue>> get(String key);

    /** Deletes {@code key}: stores a tombstone on the k closest, which wins over older values. */
    CompletionStage<StoreResult> delete(String key);

    /** Iterative lookup of the k nodes closest to SHA-1(key). */
    CompletionStage<LookupResult> lookup(String key);

    /** Iterative lookup of the k nodes closest to {@code target}. */
    CompletionStage<LookupResult> findNode(NodeId target);

    /** Sends a PING and completes with the round-trip time and the responder. */
    CompletionStage<PingResult> ping(InetSocketAddress address);

    /** Contacts in the routing table whose record has the given role and region ("" = any region). */
    List<Contact> knownNodes(NodeRole role, String region);

    /**
     * Result of a ping.
     *
     * @param responder who answered
     * @param rtt       round-trip time
     */
    record PingResult(Contact responder, Duration rtt) {
    }
}
