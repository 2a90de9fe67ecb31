package io.cqkd.dht.tier.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopologyTest {
    @Test
    void seedDefaults() {
        Topology t = Topology.defaults();
        List<TopologyNode> supers = t.level(NodeRole.SUPER);
        assertEquals(List.of("sb-primary", "sb-secondary", "sb-tertiary", "sb-quaternary"),
                supers.stream().map(TopologyNode::name).toList());
        assertEquals(List.of(5678, 5679, 5680, 5681), supers.stream().map(TopologyNode::port).toList());
        assertTrue(supers.stream().allMatch(s -> s.capacity() == 500 && s.region().isEmpty() && s.parent().isEmpty()));

        List<TopologyNode> regionals = t.level(NodeRole.REGIONAL);
        assertEquals(List.of("rb-east-1", "rb-east-2", "rb-west-1", "rb-west-2", "rb-north-1", "rb-north-2",
                "rb-south-1", "rb-south-2"), regionals.stream().map(TopologyNode::name).toList());
        assertEquals(5682, regionals.get(0).port());
        assertEquals(5689, regionals.get(7).port());
        Map<String, String> parentOf = regionals.stream().collect(Collectors.toMap(TopologyNode::name, TopologyNode::parent));
        assertEquals("sb-primary", parentOf.get("rb-east-1"));
        assertEquals("sb-primary", parentOf.get("rb-east-2"));
        assertEquals("sb-secondary", parentOf.get("rb-west-2"));
        assertEquals("sb-tertiary", parentOf.get("rb-north-1"));
        assertEquals("sb-quaternary", parentOf.get("rb-south-2"));
        assertTrue(regionals.stream().allMatch(r -> r.capacity() == 250));

        List<TopologyNode> locals = t.level(NodeRole.LOCAL);
        assertEquals(32, locals.size());
        assertEquals("lb-001", locals.get(0).name());
        assertEquals(5698, locals.get(0).port());
        assertEquals("lb-032", locals.get(31).name());
        assertEquals(5729, locals.get(31).port());
        assertTrue(locals.stream().allMatch(l -> l.capacity() == 50));
        for (TopologyNode r : regionals) {
            List<TopologyNode> kids = t.children(r.name());
            assertEquals(4, kids.size(), r.name());
            assertTrue(kids.stream().allMatch(k -> k.region().equals(r.region())));
        }
        assertEquals("rb-east-1", t.node("lb-004").orElseThrow().parent());
        assertEquals("rb-east-2", t.node("lb-005").orElseThrow().parent());
        assertEquals(44, t.initialView(0).nodes().size());
    }

    @Test
    void largestSeedTierFillsThePortRanges() {
        Topology t = Topology.build(Topology.Spec.seed().withCounts(4, 16, 64));
        assertEquals(5697, t.level(NodeRole.REGIONAL).get(15).port());
        assertEquals(5761, t.level(NodeRole.LOCAL).get(63).port());
        assertEquals("lb-064", t.level(NodeRole.LOCAL).get(63).name());
        assertEquals(List.of("rb-east-1", "rb-east-2", "rb-east-3", "rb-east-4"),
                t.level(NodeRole.REGIONAL).subList(0, 4).stream().map(TopologyNode::name).toList());
    }

    @Test
    void twoSupersWrapRegionsAround() {
        Topology t = Topology.build(Topology.Spec.seed().withCounts(2, 9, 33));
        assertEquals("sb-primary", t.node("rb-north-1").orElseThrow().parent());
        assertEquals("sb-secondary", t.node("rb-south-1").orElseThrow().parent());
        assertEquals(3, t.level(NodeRole.REGIONAL).stream().filter(r -> r.region().equals("east")).count());
        assertEquals(33, t.level(NodeRole.LOCAL).size());
    }

    @Test
    void embeddedDemoTier() {
        Topology t = Topology.build(Topology.Spec.seed().withCounts(2, 4, 8).withRegions(List.of("east", "west"))
                .withBounds(Topology.Bounds.EMBEDDED));
        assertEquals(List.of("rb-east-1", "rb-east-2", "rb-west-1", "rb-west-2"),
                t.level(NodeRole.REGIONAL).stream().map(TopologyNode::name).toList());
        assertEquals("sb-secondary", t.node("rb-west-2").orElseThrow().parent());
        assertEquals(2, t.children("rb-west-2").size());
    }

    @Test
    void countsOutsideTheSeedRangesAreRefusedWithEveryProblemNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topology.build(Topology.Spec.seed().withCounts(5, 7, 65)));
        assertTrue(e.getMessage().contains("super nodes must be 2-4 (seed bounds), got 5"), e.getMessage());
        assertTrue(e.getMessage().contains("regional nodes must be 8-16 (seed bounds), got 7"), e.getMessage());
        assertTrue(e.getMessage().contains("local nodes must be 32-64 (seed bounds), got 65"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Topology.build(Topology.Spec.seed().withCounts(2, 4, 8)));
    }

    @Test
    void badRegionsAndCapacitiesAreRefused() {
        assertMessage(Topology.Spec.seed().withRegions(List.of("east", "east")), "listed twice");
        assertMessage(Topology.Spec.seed().withRegions(List.of("East:1")), "region 'East:1'");
        assertMessage(Topology.Spec.seed().withRegions(List.of()), "at least one region");
        assertMessage(Topology.Spec.seed().withCapacities(0, 250, 50), "super capacity must be at least 1");
        assertMessage(Topology.Spec.seed().withCounts(2, 3, 8).withBounds(Topology.Bounds.EMBEDDED),
                "4 regions need at least 4 regional nodes");
        assertMessage(Topology.Spec.seed().withHost(" "), "host");
    }

    @Test
    void twoLevelTierHasSupersAndRegionalsOnly() {
        Topology t = Topology.build(Topology.Spec.twoLevel());
        assertTrue(t.twoLevel());
        assertEquals(Topology.Bounds.TWO_LEVEL, t.spec().bounds());
        assertEquals(List.of("sb-primary", "sb-secondary", "sb-tertiary", "sb-quaternary"),
                t.level(NodeRole.SUPER).stream().map(TopologyNode::name).toList());
        List<TopologyNode> regionals = t.level(NodeRole.REGIONAL);
        assertEquals(List.of("rb-east-1", "rb-east-2", "rb-west-1", "rb-west-2", "rb-north-1", "rb-north-2",
                "rb-south-1", "rb-south-2"), regionals.stream().map(TopologyNode::name).toList());
        assertEquals(5682, regionals.get(0).port());
        assertEquals("sb-tertiary", t.node("rb-north-2").orElseThrow().parent());
        assertTrue(regionals.stream().allMatch(r -> r.capacity() == 250 && t.children(r.name()).isEmpty()));
        assertEquals(List.of(), t.level(NodeRole.LOCAL));
        assertEquals(12, t.nodes().size());
        assertEquals(12, t.initialView(0).nodes().size());
        assertEquals(4, Health.summarize(t.initialView(0).nodes(), 0).regionsCoverage(), "every region has a regional");
        // the same regionals, parents and ports as the seed's three-level tier
        Topology three = Topology.defaults();
        assertEquals(three.level(NodeRole.REGIONAL), regionals);
        assertTrue(!three.twoLevel());
    }

    @Test
    void largestTwoLevelTierAndCapacities() {
        Topology t = Topology.build(Topology.Spec.twoLevel().withCounts(4, 16, 0).withCapacities(700, 400, 50));
        assertEquals(16, t.level(NodeRole.REGIONAL).size());
        assertEquals(5697, t.level(NodeRole.REGIONAL).get(15).port());
        assertEquals("rb-south-4", t.level(NodeRole.REGIONAL).get(15).name());
        assertTrue(t.level(NodeRole.REGIONAL).stream().allMatch(r -> r.capacity() == 400));
        assertTrue(t.level(NodeRole.SUPER).stream().allMatch(r -> r.capacity() == 700));
    }

    @Test
    void twoLevelBoundsRefuseLocalsAndTheOtherBoundsStillNeedThem() {
        assertMessage(Topology.Spec.twoLevel().withCounts(4, 8, 32), "local nodes must be 0 (two-level bounds), got 32");
        assertMessage(Topology.Spec.twoLevel().withCounts(1, 7, 0),
                "super nodes must be 2-4 (two-level bounds), got 1");
        assertMessage(Topology.Spec.twoLevel().withCounts(4, 7, 0), "regional nodes must be 8-16 (two-level bounds), got 7");
        // existing bounds unchanged: a tier without locals is refused by SEED and EMBEDDED
        assertMessage(Topology.Spec.seed().withCounts(4, 8, 0), "local nodes must be 32-64 (seed bounds), got 0");
        assertMessage(Topology.Spec.seed().withCounts(2, 4, 0).withRegions(List.of("east", "west"))
                .withBounds(Topology.Bounds.EMBEDDED), "local nodes must be 1-64 (embedded bounds), got 0");
    }

    private static void assertMessage(Topology.Spec spec, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topology.build(spec));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
