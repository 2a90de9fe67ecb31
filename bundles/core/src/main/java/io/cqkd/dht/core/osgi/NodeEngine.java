package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.StoreResult;
import io.cqkd.dht.core.engine.Counters;
import io.cqkd.dht.core.engine.EngineConfig;
import io.cqkd.dht.core.engine.EngineExecutor;
import io.cqkd.dht.core.engine.Transport;
import io.cqkd.dht.core.tier.TierAgent;
import io.cqkd.dht.core.tier.TierSettings;
import io.cqkd.dht.api.tier.BootstrapSelector;
import java.util.function.Supplier;
import io.cqkd.dht.core.wire.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/**
 * What the node component needs from a Kademlia engine: the seam between the OSGi adapter and
 * the engine package, so the component is tested with a stand-in and the engine stays free of
 * OSGi. {@link KademliaEngines} adapts the real engine.
 */
interface NodeEngine {
    /** Creates an engine for one node. */
    @FunctionalInterface
    interface Factory {
        NodeEngine create(EngineConfig config, NodeId id, NodeRecord record, Transport transport,
                          EngineExecutor executor, RandomGenerator random, Counters counters);
    }

    void setSelfAddress(InetSocketAddress address);

    /** Contacts from a saved routing table, pinged first when the node starts (see KademliaNode#seed). */
    default void seed(List<Contact> contacts) {
    }

    void start(List<InetSocketAddress> bootstrap);

    /**
     * Starts through the bootstrap tier: a bootstrap node serves it and starts at once, a client
     * joins through it first. Stand-ins without a tier start plainly.
     */
    default void start(List<InetSocketAddress> bootstrap, TierSettings tier, Supplier<BootstrapSelector> selector) {
        start(bootstrap);
    }

    /** The node's tier agent, or null. */
    default TierAgent tier() {
        return null;
    }

    void onMessage(InetSocketAddress from, Message message);

    NodeState state();

    int routingTableSize();

    int storedValueCount();

    RoutingSnapshot routes();

    List<Contact> knownNodes(NodeRole role, String region);

    Contact self();

    CompletionStage<StoreResult> put(String key, String json, Duration ttl);

    CompletionStage<Optional<DhtValue>> get(String key);

    CompletionStage<StoreResult> delete(String key);

    CompletionStage<LookupResult> lookup(String key);

    CompletionStage<LookupResult> findNode(NodeId target);

    CompletionStage<DhtNode.PingResult> ping(InetSocketAddress address);

    void stop();
}
