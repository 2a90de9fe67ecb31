package io.cqkd.dht.core.osgi;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.DhtValue;
import io.cqkd.dht.api.LookupResult;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.RoutingSnapshot;
import io.cqkd.dht.api.StoreResult;
import io.cqkd.dht.core.engine.KademliaNode;
import io.cqkd.dht.core.tier.TierAgent;
import io.cqkd.dht.core.tier.TierSettings;
import io.cqkd.dht.api.tier.BootstrapSelector;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import io.cqkd.dht.core.wire.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** {@link NodeEngine} over the real {@link KademliaNode}: plain delegation. */
final class KademliaEngines implements NodeEngine {
    /** Creates real engines. */
    static final NodeEngine.Factory FACTORY = (config, id, record, transport, executor, random, counters) ->
            new KademliaEngines(new KademliaNode(config, id, record, transport, executor, random, counters));

    private final KademliaNode node;
    private volatile TierAgent tier;

    private KademliaEngines(KademliaNode node) {
        this.node = node;
    }

    /** The engine itself (tests). */
    KademliaNode node() {
        return node;
    }

    @Override
    public void setSelfAddress(InetSocketAddress address) {
        node.setSelfAddress(address);
    }

    @Override
    public void seed(List<Contact> contacts) {
        node.seed(contacts);
    }

    @Override
    public void start(List<InetSocketAddress> bootstrap) {
        node.start(bootstrap);
    }

    @Override
    public void start(List<InetSocketAddress> bootstrap, TierSettings settings, Supplier<BootstrapSelector> selector) {
        if (settings == null) {
            node.start(bootstrap);
            return;
        }
        TierAgent a = new TierAgent(node, settings, bootstrap, selector, new SplittableRandom(new SecureRandom().nextLong()));
        tier = a;
        a.start();
    }

    @Override
    public TierAgent tier() {
        return tier;
    }

    @Override
    public void onMessage(InetSocketAddress from, Message message) {
        node.onMessage(from, message);
    }

    @Override
    public NodeState state() {
        return node.state();
    }

    @Override
    public int routingTableSize() {
        return node.routingTableSize();
    }

    @Override
    public int storedValueCount() {
        return node.storedValueCount();
    }

    @Override
    public RoutingSnapshot routes() {
        return node.routes();
    }

    @Override
    public List<Contact> knownNodes(NodeRole role, String region) {
        return node.knownNodes(role, region);
    }

    @Override
    public Contact self() {
        return node.self();
    }

    @Override
    public CompletionStage<StoreResult> put(String key, String json, Duration ttl) {
        return node.put(key, json, ttl);
    }

    @Override
    public CompletionStage<Optional<DhtValue>> get(String key) {
        return node.get(key);
    }

    @Override
    public CompletionStage<StoreResult> delete(String key) {
        return node.delete(key);
    }

    @Override
    public CompletionStage<LookupResult> lookup(String key) {
        return node.lookup(key);
    }

    @Override
    public CompletionStage<LookupResult> findNode(NodeId target) {
        return node.findNode(target);
    }

    @Override
    public CompletionStage<DhtNode.PingResult> ping(InetSocketAddress address) {
        return node.ping(address);
    }

    @Override
    public void stop() {
        TierAgent a = tier;
        if (a != null) {
            a.stop(); // queued on the engine thread before the node's stop: the LEAVE goes out first
        }
        node.stop();
    }
}
