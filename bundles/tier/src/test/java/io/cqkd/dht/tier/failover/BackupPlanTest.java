package io.cqkd.dht.tier.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.tier.TierView;
import io.cqkd.dht.tier.model.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupPlanTest {
    private final TierView seed = Topology.defaults().initialView(0);

    @Test
    void defaultRuleIsTheOtherNodesOfTheLevelAndRegionSameParentFirst() {
        BackupPlan plan = BackupPlan.defaults();
        // seed: lb-001..lb-004 under rb-east-1, lb-005..lb-008 under rb-east-2, all in east
        assertEquals(List.of("lb-002", "lb-003", "lb-004", "lb-005", "lb-006", "lb-007", "lb-008"),
                plan.backupsOf("lb-001", seed));
        assertEquals(List.of("rb-east-2"), plan.backupsOf("rb-east-1", seed));
        assertEquals(List.of("sb-quaternary", "sb-secondary", "sb-tertiary"), plan.backupsOf("sb-primary", seed));
        assertEquals(List.of(), plan.backupsOf("unknown", seed));
    }

    @Test
    void configuredEntriesWin() {
        BackupPlan plan = BackupPlan.parse(List.of("lb-001=lb-008, lb-002", " ; sb-primary=sb-secondary"));
        assertEquals(List.of("lb-008", "lb-002"), plan.backupsOf("lb-001", seed));
        assertEquals(List.of("sb-secondary"), plan.backupsOf("sb-primary", seed));
        assertEquals(List.of("lb-001", "lb-003", "lb-004", "lb-005", "lb-006", "lb-007", "lb-008"),
                plan.backupsOf("lb-002", seed), "others keep the default rule");
        assertTrue(plan.warnings(seed).isEmpty());
    }

    @Test
    void parseNamesEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupPlan.parse(List.of(
                "lb-001", "lb-002=lb-002", "lb-003=lb-004,lb-004", "lb 5=lb-006", "lb-007=lb-008", "lb-007=lb-009")));
        String m = e.getMessage();
        assertTrue(m.contains("'lb-001' must be NODE=BACKUP"), m);
        assertTrue(m.contains("cannot back itself"), m);
        assertTrue(m.contains("listed twice"), m);
        assertTrue(m.contains("bad node name 'lb 5'"), m);
        assertTrue(m.contains("lb-007 has two backup entries"), m);
        assertSame(BackupPlan.defaults(), BackupPlan.parse(List.of(" ", ";")));
    }

    @Test
    void warningsForUnknownNodesAndLevelMismatch() {
        BackupPlan plan = BackupPlan.parse(List.of("lb-001=rb-east-1,lb-999", "xx-1=lb-002"));
        List<String> w = plan.warnings(seed);
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(0).contains("at another level"), w.toString());
    }
}
