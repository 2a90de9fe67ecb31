package io.cqkd.dht.shell.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with left-aligned, space-separated columns sized to their widest cell.
 * Numeric columns can be right-aligned. Null and empty cells print as "-" (or as set by
 * {@link #blankAs(String)}). Lines have no trailing blanks.
 *
 * <p>Shared by the {@code dht:*}, {@code tier:*}, {@code ports:*} and {@code failover:*} commands,
 * so they all look the same.
 */
public final class TextTable {
    private static final String GAP = "  ";
    private final String[] headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();
    private String blank = "-";

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

    /**
     * What null and empty cells of the rows added from now on print as ("-" unless set; the ports
     * and failover tables leave them blank with ""); returns this table.
     */
    public TextTable blankAs(String text) {
        this.blank = text;
        return this;
    }

    /** Adds a row; it must have one cell per header. */
    public TextTable row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String s = cells[i] == null ? "" : String.valueOf(cells[i]);
            text[i] = s.isEmpty() ? blank : s;
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
