package io.cqkd.dht.shell.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void alignsColumnsToTheWidestCellAndRightAlignsNumbers() {
        String out = new TextTable("NAME", "PORT", "STATE").alignRight(1)
                .row("boot", 5678, "READY")
                .row("worker-10", 7, null)
                .render();
        assertEquals("""
                NAME       PORT  STATE
                boot       5678  READY
                worker-10     7  -
                """, out);
    }

    @Test
    void emptyCellsPrintAsDashAndWrongArityIsRefused() {
        TextTable t = new TextTable("A", "B");
        t.row("", "x");
        assertEquals("A  B\n-  x\n", t.render());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }

    @Test
    void blankCellsCanPrintAsNothingWithoutTrailingBlanks() {
        TextTable t = new TextTable("A", "B", "C").blankAs("");
        t.row(null, "x", "");
        t.row("long", "", null);
        assertEquals(2, t.size());
        assertEquals("""
                A     B  C
                      x
                long
                """, t.render());
    }
}
