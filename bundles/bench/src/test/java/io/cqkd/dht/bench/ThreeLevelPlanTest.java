package io.cqkd.dht.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three-level plan follows docs/deployment.md "Who joins whom". */
class ThreeLevelPlanTest {
    static List<InetSocketAddress> addresses(int n) {
        List<InetSocketAddress> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add(new InetSocketAddress("127.0.0.1", 30000 + i));
        }
        return a;
    }

    @Test
    void seedTierForAThousandNodes() {
        ThreeLevelPlan p = ThreeLevelPlan.forWorkers(1000);
        List<NetworkPlan.BootstrapNode> b = p.bootstrapNodes();
        assertEquals(44, b.size(), "4 supers, 8 regionals, 32 locals");
        assertEquals(956, p.workers());
        assertEquals("super", b.get(0).role());
        assertEquals("regional", b.get(4).role());
        assertEquals("local", b.get(12).role());
        List<InetSocketAddress> all = addresses(44);
        assertEquals(List.of(), p.bootstrapOf(0, all.subList(0, 0)), "the first super joins nobody");
        assertEquals(List.of(all.get(2), all.get(1), all.get(0)), p.bootstrapOf(3, all.subList(0, 3)));
        List<InetSocketAddress> regional = p.bootstrapOf(4, all.subList(0, 4));
        assertEquals(4, regional.size(), "parent super first, then the other supers");
        List<InetSocketAddress> local = p.bootstrapOf(12, all.subList(0, 12));
        assertTrue(local.size() >= 1 && all.subList(4, 12).containsAll(local), "a local joins regionals only");
        // workers: contiguous, even, each given exactly its local; capacity respected with the seed's 50
        int[] perLocal = new int[32];
        for (int w = 0; w < p.workers(); w++) {
            List<InetSocketAddress> boot = p.joinerBootstrap(w, all);
            assertEquals(1, boot.size());
            perLocal[boot.get(0).getPort() - 30012]++;
        }
        for (int c : perLocal) {
            assertTrue(c >= 29 && c <= 30, "even spread: " + c);
            assertTrue(c <= p.capacity(12));
        }
        assertEquals(50, p.capacity(12));
    }

    @Test
    void moreWorkersGetMoreLocalsAndCapacity() {
        ThreeLevelPlan p = ThreeLevelPlan.forWorkers(10_000);
        long locals = p.bootstrapNodes().stream().filter(n -> n.role().equals("local")).count();
        assertEquals(64, locals);
        int cap = p.capacity(p.bootstrapNodes().size() - 1);
        assertTrue(cap * 64 >= p.workers(), "locals can hold every worker: " + cap);
    }

    @Test
    void tooFewNodesForTheTier() {
        assertThrows(IllegalArgumentException.class, () -> ThreeLevelPlan.forWorkers(40));
    }
}
