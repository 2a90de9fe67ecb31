package io.cqkd.dht.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.tier.model.Topology;
import io.cqkd.dht.tier.model.TopologyNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeploymentTest {

    @Test
    void seedPlanUsesTheTierDefaults() {
        Deployment d = TestSupport.seed(1000);
        Topology runtime = Topology.defaults();
        assertEquals(runtime.nodes().stream().map(n -> n.name() + "@" + n.port() + "<" + n.parent()).toList(),
                d.bootstrapNodes().stream().map(n -> n.name() + "@" + n.port() + "<" + n.parent()).toList(),
                "same names, ports and parents as the runtime's Topology");
        assertEquals(1000, d.workers().size());
        assertEquals("worker-1", d.workers().get(0).name());
        assertEquals(7000, d.workers().get(0).port());
        assertEquals(7999, d.workers().get(999).port());
        assertEquals("lb-001", d.workers().get(0).local().name());
        assertEquals("lb-032", d.workers().get(999).local().name());
    }

    @Test
    void workersAreSpreadEvenlyAndWithinLocalCapacity() {
        Deployment d = TestSupport.seed(1000);
        Map<String, Long> perLocal = d.workers().stream()
                .collect(Collectors.groupingBy(w -> w.local().name(), Collectors.counting()));
        assertEquals(32, perLocal.size());
        long min = perLocal.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = perLocal.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(max - min <= 1, "even spread, got " + min + ".." + max);
        assertTrue(max <= Topology.LOCAL_CAPACITY);
    }

    @Test
    void joinsFollowTheTier() {
        Deployment d = TestSupport.seed(0);
        TopologyNode primary = d.topology().node("sb-primary").orElseThrow();
        TopologyNode tertiary = d.topology().node("sb-tertiary").orElseThrow();
        assertEquals(List.of(), d.joins(primary));
        assertEquals(List.of("sb-primary", "sb-secondary"), names(d.joins(tertiary)));
        TopologyNode west1 = d.topology().node("rb-west-1").orElseThrow();
        assertEquals(List.of("sb-secondary", "sb-primary", "sb-tertiary", "sb-quaternary"), names(d.joins(west1)));
        assertEquals(List.of("sb-secondary"), names(d.dependsOn(west1)));
        for (TopologyNode local : d.topology().level(NodeRole.LOCAL)) {
            List<TopologyNode> joins = d.joins(local);
            assertEquals(local.parent(), joins.get(0).name());
            assertTrue(joins.stream().allMatch(j -> j.level() == NodeRole.REGIONAL && j.region().equals(local.region())));
            assertEquals(List.of(local.parent()), names(d.dependsOn(local)));
        }
    }

    @Test
    void forceAllowsASmallTier() {
        Deployment d = TestSupport.small();
        assertEquals(1 + 2 + 3, d.bootstrapNodes().size());
        assertEquals(7, d.workers().size());
        DeployException e = assertThrows(DeployException.class,
                () -> Deployment.plan(DeploymentSpec.seed().withCounts(1, 2, 3, 7).withRegions(List.of("east", "west"))));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}/{1}/{2}/{3} -> {4}")
    @CsvSource(delimiter = '|', value = {
        "0|8|32|10|at least one super node is needed, got 0",
        "0|8|32|10|regional nodes need a super node to attach to",
        "5|8|32|10|5 super nodes do not fit the super ports 5678-5681 (at most 4)",
        "4|17|32|10|17 regional nodes do not fit the regional ports 5682-5697 (at most 16)",
        "4|16|65|10|65 local nodes do not fit the local ports 5698-5761 (at most 64)",
        "4|8|32|1001|1001 workers do not fit the worker ports 7000-7999 (at most 1000)",
        "4|8|32|-1|workers must be 0-1000, got -1",
        "1|8|32|10|super nodes must be 2-4 (seed bounds), got 1",
        "4|7|32|10|regional nodes must be 8-16 (seed bounds), got 7",
        "4|8|31|10|local nodes must be 32-64 (seed bounds), got 31",
    })
    void invalidCountsAreRejectedWithOneLine(int supers, int regionals, int locals, int workers, String expected) {
        DeployException e = assertThrows(DeployException.class,
                () -> Deployment.plan(DeploymentSpec.seed().withCounts(supers, regionals, locals, workers)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void regionalWithoutSuperAndLocalWithoutRegional() {
        DeployException e = assertThrows(DeployException.class,
                () -> Deployment.plan(DeploymentSpec.seed().withCounts(1, 0, 3, 0).withForce(true)));
        assertTrue(e.getMessage().contains("local nodes need a regional node"), e.getMessage());
    }

    @Test
    void forcedSmallTierMayExceedTheLocalsCapacity() {
        // the runtime overflows to regionals by referral (docs/tier.md); the seed's minimum of 32 locals
        // already holds the largest worker count (32 x 50 >= 1000)
        Deployment d = Deployment.plan(DeploymentSpec.seed().withCounts(1, 1, 1, 60).withRegions(List.of("east"))
                .withForce(true));
        assertEquals(60, d.workers().size());
        assertTrue(32 * Topology.LOCAL_CAPACITY >= Deployment.MAX_WORKERS);
    }

    @ParameterizedTest
    @CsvSource({"Upper/Case", "bad image", "image:", ":tag", "a//b", "-start", "name@sha256:xyz"})
    void badImageNames(String image) {
        DeployException e = assertThrows(DeployException.class,
                () -> Deployment.plan(DeploymentSpec.seed().withImage(image)));
        assertTrue(e.getMessage().contains("is not a valid image name"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"cqkd-dht-node:latest", "registry.example.com:5000/team/cqkd-dht-node:0.1.0",
        "localhost/cqkd", "ghcr.io/o/cqkd_node:v1.2-rc.1"})
    void goodImageNames(String image) {
        assertEquals(image, Deployment.plan(DeploymentSpec.seed().withCounts(4, 8, 32, 0).withImage(image)).image());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "East|region 'East' must be 1-32 of a-z",
        "east,east,west,north|region 'east' is listed twice",
        "north-east|region 'north-east' must be",
    })
    void badRegions(String regions, String expected) {
        DeployException e = assertThrows(DeployException.class,
                () -> Deployment.plan(DeploymentSpec.seed().withRegions(List.of(regions.split(",")))));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static List<String> names(List<TopologyNode> nodes) {
        return nodes.stream().map(TopologyNode::name).toList();
    }
}
