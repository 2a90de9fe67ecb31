package io.cqkd.dht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.DhtNode;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.NodeState;
import io.cqkd.dht.api.NodeStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Nodes are Config Admin factory configurations ({@value CqkdTestSupport#NODE_FACTORY_PID}):
 * creating one starts a node and registers its {@link DhtNode} service, deleting it stops the
 * node and frees its port, changing it reconfigures the running node.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeLifecycleIT extends CqkdTestSupport {

    @Test
    public void nodeComponentRequiresTheFactoryConfiguration() {
        ServiceComponentRuntime scr = waitForService(ServiceComponentRuntime.class);
        ComponentDescriptionDTO nodeComponent = scr.getComponentDescriptionDTOs(findBundle("io.cqkd.dht.core"))
                .stream().filter(d -> List.of(d.configurationPid).contains(NODE_FACTORY_PID))
                .findFirst().orElse(null);
        assertNotNull("io.cqkd.dht.core has no component configured by " + NODE_FACTORY_PID, nodeComponent);
        assertEquals("require", nodeComponent.configurationPolicy);
        assertTrue("a node opens a socket: its component must be immediate", nodeComponent.immediate);
        // Without a configuration there is no node.
        assertTrue(serviceReferences(DhtNode.class, null).isEmpty());
    }

    @Test
    public void factoryConfigurationsStartNodesThatJoinAndBecomeReady() throws Exception {
        createNode("life-seed", Map.of("role", "super", "region", "eu"));
        DhtNode seed = awaitReady("life-seed");
        String bootstrap = endpointOf(seed);
        createNode("life-w1", Map.of("role", "worker", "region", "eu", "bootstrap", bootstrap));
        createNode("life-w2", Map.of("role", "worker", "region", "us", "bootstrap", bootstrap));
        DhtNode w1 = awaitReady("life-w1");
        DhtNode w2 = awaitReady("life-w2");

        // Service properties describe the node.
        assertServiceProperties("life-seed", seed, NodeRole.SUPER, "eu");
        assertServiceProperties("life-w1", w1, NodeRole.WORKER, "eu");
        assertServiceProperties("life-w2", w2, NodeRole.WORKER, "us");

        // Each node holds its own ephemeral UDP port.
        Set<Integer> ports = new HashSet<>();
        for (DhtNode n : List.of(seed, w1, w2)) {
            NodeStatus s = n.status();
            assertEquals(NodeState.READY, s.state());
            assertTrue(s.name() + " port " + s.port(), s.port() > 0);
            assertTrue("port " + s.port() + " used twice", ports.add(s.port()));
            assertEquals(s.port(), n.self().address().getPort());
            assertFalse(s.name() + " does not hold its port " + s.port(), udpPortIsFree(s.port()));
        }
        assertEquals(3, new HashSet<>(List.of(seed.id(), w1.id(), w2.id())).size());

        // They found each other: the seed learns both workers, the workers learn each other, and
        // the workers keep the seed (a super, an entry point) out of their tables (docs/tier.md).
        awaitCondition("seed knows both workers", () -> contactIds(seed).containsAll(Set.of(w1.id(), w2.id())));
        awaitCondition("life-w1 knows life-w2", () -> contactIds(w1).contains(w2.id()));
        awaitCondition("life-w2 knows life-w1", () -> contactIds(w2).contains(w1.id()));
        for (DhtNode w : List.of(w1, w2)) {
            assertFalse(w.name() + " keeps the super out of its table", contactIds(w).contains(seed.id()));
        }
        Contact w1AsSeen = seed.routes().buckets().stream().flatMap(b -> b.contacts().stream())
                .filter(c -> c.id().equals(w1.id())).findFirst().orElseThrow();
        assertEquals(NodeRole.WORKER, w1AsSeen.record().role());
        assertEquals("eu", w1AsSeen.record().region());
        assertEquals(w1.status().port(), w1AsSeen.address().getPort());
    }

    @Test
    public void deletingTheConfigurationStopsTheNodeAndReleasesItsPort() throws Exception {
        createNode("del-seed", Map.of("role", "super"));
        DhtNode seed = awaitReady("del-seed");
        createNode("del-victim", Map.of("role", "worker", "bootstrap", endpointOf(seed)));
        DhtNode victim = awaitReady("del-victim");
        int port = victim.status().port();
        NodeId survivorId = seed.id();
        assertFalse("node does not hold its port " + port, udpPortIsFree(port));

        deleteNode("del-victim");

        assertTrue(serviceReferences(DhtNode.class, nodeFilter("del-victim")).isEmpty());
        assertEquals(null, findNodeConfiguration("del-victim"));
        awaitCondition("port " + port + " released", () -> udpPortIsFree(port));
        // The other node is untouched.
        DhtNode stillThere = node("del-seed");
        assertNotNull(stillThere);
        assertEquals(survivorId, stillThere.id());
        assertEquals(NodeState.READY, stillThere.status().state());
    }

    @Test
    public void configurationChangeTakesEffectAtRuntime() throws Exception {
        createNode("cfg-node", Map.of("role", "worker", "region", "east"));
        DhtNode before = awaitReady("cfg-node");
        assertEquals("east", before.status().region());
        assertEquals("east", nodeReference("cfg-node").getProperty(DhtNode.PROP_REGION));

        updateNode("cfg-node", Map.of("region", "west"));

        awaitCondition("region west in the service properties and the node's status", () -> {
            ServiceReference<DhtNode> ref = nodeReference("cfg-node");
            DhtNode n = node("cfg-node");
            return ref != null && n != null && "west".equals(ref.getProperty(DhtNode.PROP_REGION))
                    && "west".equals(n.status().region()) && "west".equals(n.self().record().region());
        });
        awaitReady("cfg-node");

        int k = before.routes().k();
        int newK = k == 8 ? 12 : 8;
        updateNode("cfg-node", Map.of("k", newK));
        awaitCondition("bucket size k=" + newK + " in the routing table", () -> {
            DhtNode n = node("cfg-node");
            return n != null && n.routes().k() == newK;
        });
        assertNotEquals(k, newK);
        assertEquals("west", node("cfg-node").status().region());
    }

    private void assertServiceProperties(String name, DhtNode node, NodeRole role, String region) {
        ServiceReference<DhtNode> ref = nodeReference(name);
        assertNotNull("no service for " + name, ref);
        assertEquals(name, ref.getProperty(DhtNode.PROP_NAME));
        assertEquals(node.id().toHex(), ref.getProperty(DhtNode.PROP_ID));
        assertEquals(role.configName(), ref.getProperty(DhtNode.PROP_ROLE));
        assertEquals(region, ref.getProperty(DhtNode.PROP_REGION));
        assertEquals(name, node.name());
        NodeStatus s = node.status();
        assertEquals(role, s.role());
        assertEquals(region, s.region());
        assertEquals(role, node.self().record().role());
    }

    private static Set<NodeId> contactIds(DhtNode n) {
        Set<NodeId> ids = new HashSet<>();
        n.routes().buckets().forEach(b -> b.contacts().forEach(c -> ids.add(c.id())));
        return ids;
    }
}
