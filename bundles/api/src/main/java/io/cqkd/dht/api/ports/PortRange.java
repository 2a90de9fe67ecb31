package io.cqkd.dht.api.ports;

/**
 * An inclusive range of UDP ports.
 *
 * @param first lowest port
 * @param last  highest port
 */
public record PortRange(int first, int last) {
    /** Validates 1 <= first <= last <= 65535. */
    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("invalid port range " + first + "-" + last);
        }
    }

    /** Parses {@code 7000-7999}. */
    public static PortRange parse(String text) {
        String[] parts = text.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("port range must be FIRST-LAST, got '" + text + "'");
        }
        try {
            return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port range must be FIRST-LAST, got '" + text + "'", e);
        }
    }

    /** Number of ports. */
    public int size() {
        return last - first + 1;
    }

    /** True when {@code port} lies in the range. */
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
