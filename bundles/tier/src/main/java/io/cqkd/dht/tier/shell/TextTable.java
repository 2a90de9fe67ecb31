package io.cqkd.dht.tier.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with left-aligned, space-separated columns sized to their widest cell.
 * Numeric columns can be right-aligned. Null cells print as "-".
 *
 * <p>A copy of {@code io.cqkd.dht.shell.TextTable} (as in the ports and failover bundles): the
 * shell bundle exports nothing, and a table helper in the versioned API would tie every command
 * bundle's look to API releases. Same output as {@code dht:*}; see docs/tier.md.
 */
public final class TextTable {
    private static final String GAP = "  ";
    private final String[] headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column headers. */
    public TextTable(String... headers) {
        this.headers = headers.clone();
        this.rightAligned = new boolean[headers.length];
    }

    /** Right-aligns the given columns (0-based); returns this table. */
    public TextTable alignRight(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    /** Adds a row; it must have one cell per header. */
    public TextTable row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String s = cells[i] == null ? "-" : String.valueOf(cells[i]);
            text[i] = s.isEmpty() ? "-" : s;
        }
        rows.add(text);
        return this;
    }

    /** Number of data rows. */
    public int size() {
        return rows.size();
    }

    /** The table, a header line then one line per row, each ending with a newline. */
    public String render() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        for (String[] r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        int start = sb.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(GAP);
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            if (rightAligned[i]) {
                sb.append(pad).append(cells[i]);
            } else {
                sb.append(cells[i]);
                if (i < cells.length - 1) {
                    sb.append(pad);
                }
            }
        }
        // no trailing blanks
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    @Override
    public String toString() {
        return render();
    }

    /** Headers, for tests. */
    List<String> headers() {
        return Arrays.asList(headers);
    }
}
