package io.cqkd.dht.select.common;

import static io.cqkd.dht.select.common.Fixture.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.api.tier.BootstrapNode;
import io.cqkd.dht.api.tier.SelectionRequest;
import io.cqkd.dht.api.tier.TierView;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionsTest {
    private static final TierView SEED = Fixture.seedLike().view();

    @Test
    void directReturnsHealthySupersLeastLoadedFirst() {
        assertEquals(List.of("sb-quaternary", "sb-secondary", "sb-tertiary", "sb-primary"),
                names(Selections.direct(SEED)));
    }

    @Test
    void twoLevelIsSupersThenRegionalsOfTheRegion() {
        List<BootstrapNode> picks = Selections.twoLevel(new SelectionRequest("west", 100), SEED);
        assertEquals(List.of("sb-quaternary", "sb-secondary", "sb-tertiary", "sb-primary", "rb-west-2", "rb-west-1"),
                names(picks));
    }

    @Test
    void twoLevelWithoutRegionTakesRegionalsOfAnyRegion() {
        List<BootstrapNode> picks = Selections.twoLevel(new SelectionRequest("", 100), SEED);
        assertEquals(4 + 8, picks.size());
        assertEquals(List.of("rb-east-2", "rb-west-2", "rb-north-2", "rb-south-2"),
                names(picks.subList(4, 8)));
    }

    @Test
    void threeLevelTakesTwoSupersFourRegionalsOfTheRegionAndEightLocalsUnderThem() {
        List<BootstrapNode> picks = Selections.threeLevel(new SelectionRequest("north", 1000), SEED);
        assertEquals(List.of("sb-quaternary", "sb-secondary"), names(picks.subList(0, 2)));
        // only two regionals exist in north: no filling from other regions
        assertEquals(List.of("rb-north-2", "rb-north-1"), names(picks.subList(2, 4)));
        List<BootstrapNode> locals = picks.subList(4, picks.size());
        assertEquals(8, locals.size());
        assertTrue(locals.stream().allMatch(l -> l.region().equals("north")), names(locals).toString());
        assertOrdered(locals);
    }

    @Test
    void threeLevelWithoutRegionTakesFourLeastLoadedRegionalsAndTheirChildrenFirst() {
        List<BootstrapNode> picks = Selections.threeLevel(new SelectionRequest("", 1000), SEED);
        List<BootstrapNode> regionals = picks.stream().filter(n -> n.level() == NodeRole.REGIONAL).toList();
        assertEquals(List.of("rb-east-2", "rb-west-2", "rb-north-2", "rb-south-2"), names(regionals));
        List<BootstrapNode> locals = picks.stream().filter(n -> n.level() == NodeRole.LOCAL).toList();
        assertEquals(8, locals.size());
        var parents = new HashSet<>(names(regionals));
        // 16 locals live under the chosen regionals, so all 8 come from there
        assertTrue(locals.stream().allMatch(l -> parents.contains(l.parent())));
        assertOrdered(locals);
    }

    @Test
    void threeLevelFillsLocalsFromOtherRegionsWhenTheRegionHasTooFew() {
        TierView v = new Fixture().sup("sb-primary", 0).reg("rb-east-1", "east", "sb-primary", 0)
                .loc("lb-001", "east", "rb-east-1", 10).loc("lb-002", "west", "rb-west-1", 1)
                .loc("lb-003", "west", "rb-west-1", 2).view();
        assertEquals(List.of("sb-primary", "rb-east-1", "lb-001", "lb-002", "lb-003"),
                names(Selections.threeLevel(new SelectionRequest("east", 500), v)));
    }

    @Test
    void unhealthyNodesAreNeverSelected() {
        TierView v = new Fixture().sup("sb-primary", 0)
                .node("sb-secondary", NodeRole.SUPER, "", "", 0, 500, false)
                .reg("rb-east-1", "east", "sb-primary", 100)
                .node("rb-east-2", NodeRole.REGIONAL, "east", "sb-primary", 0, 250, false)
                .loc("lb-001", "east", "rb-east-1", 40)
                .node("lb-002", NodeRole.LOCAL, "east", "rb-east-1", 0, 50, false).view();
        for (Plan p : Plan.values()) {
            List<String> picked = names(p.select(new SelectionRequest("east", 1000), v));
            assertFalse(picked.contains("sb-secondary"), p + " " + picked);
            assertFalse(picked.contains("rb-east-2"), p + " " + picked);
            assertFalse(picked.contains("lb-002"), p + " " + picked);
        }
        assertEquals(List.of("sb-primary", "rb-east-1", "lb-001"),
                names(Selections.threeLevel(new SelectionRequest("east", 1000), v)));
    }

    @Test
    void regionWithoutHealthyRegionalFallsBackToAnyRegion() {
        TierView v = new Fixture().sup("sb-primary", 0)
                .node("rb-east-1", NodeRole.REGIONAL, "east", "sb-primary", 0, 250, false)
                .reg("rb-west-1", "west", "sb-primary", 10).view();
        assertEquals(List.of("sb-primary", "rb-west-1"), names(Selections.twoLevel(new SelectionRequest("east", 60), v)));
    }

    @Test
    void loadOrderIsUtilizationThenSessionsThenName() {
        TierView v = new Fixture()
                .node("b", NodeRole.SUPER, "", "", 50, 500, true)   // 10 %
                .node("a", NodeRole.SUPER, "", "", 50, 500, true)   // 10 %, same sessions: name
                .node("c", NodeRole.SUPER, "", "", 25, 250, true)   // 10 %, fewer sessions first
                .node("d", NodeRole.SUPER, "", "", 10, 500, true)   // 2 %
                .node("e", NodeRole.SUPER, "", "", 0, 0, true)      // no capacity: full
                .view();
        assertEquals(List.of("d", "c", "a", "b", "e"), names(Selections.direct(v)));
    }

    @Test
    void emptyViewGivesEmptySelections() {
        for (Plan p : Plan.values()) {
            assertTrue(p.select(new SelectionRequest("east", 10), TierView.empty(0)).isEmpty());
        }
    }

    @Test
    void selectionIsDeterministic() {
        SelectionRequest r = new SelectionRequest("south", 300);
        assertEquals(Selections.threeLevel(r, SEED), Selections.threeLevel(r, Fixture.seedLike().view()));
    }

    @Test
    void adaptiveThresholdsAreTheSeeds() {
        assertEquals(Plan.DIRECT, Plan.forWorkers(0));
        assertEquals(Plan.DIRECT, Plan.forWorkers(50));
        assertEquals(Plan.TWO_LEVEL, Plan.forWorkers(51));
        assertEquals(Plan.TWO_LEVEL, Plan.forWorkers(200));
        assertEquals(Plan.THREE_LEVEL, Plan.forWorkers(201));
        assertEquals(Plan.THREE_LEVEL, Plan.forWorkers(100_000));
        assertEquals(Plan.TWO_LEVEL, Plan.forWorkers(11, 10, 20));
        assertThrows(IllegalArgumentException.class, () -> Plan.forWorkers(1, 30, 20));
    }

    private static void assertOrdered(List<BootstrapNode> nodes) {
        for (int i = 1; i < nodes.size(); i++) {
            assertTrue(BootstrapNode.LOAD_ORDER.compare(nodes.get(i - 1), nodes.get(i)) <= 0, names(nodes).toString());
        }
    }
}
