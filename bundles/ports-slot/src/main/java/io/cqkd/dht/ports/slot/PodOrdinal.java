package io.cqkd.dht.ports.slot;

import io.cqkd.dht.api.ports.PortAllocationException;

/**
 * Parses the ordinal of a Kubernetes StatefulSet pod from its name. StatefulSet pods are named
 * {@code <statefulset>-<ordinal>} with a 0-based decimal ordinal ({@code cqkd-worker-17} -> 17).
 */
public final class PodOrdinal {
    /** Ordinals above this are refused: no StatefulSet comes near it, and the port math stays in int. */
    public static final int MAX_ORDINAL = 999_999;

    private PodOrdinal() {
    }

    /**
     * The ordinal of {@code podName}.
     *
     * @throws PortAllocationException naming the pod and what is wrong with it
     */
    public static int parse(String podName) throws PortAllocationException {
        String name = podName == null ? "" : podName.trim();
        if (name.isEmpty()) {
            throw refuse(podName, "it is empty");
        }
        int dash = name.lastIndexOf('-');
        if (dash < 0) {
            throw refuse(name, "it has no '-<ordinal>' suffix");
        }
        String prefix = name.substring(0, dash);
        String digits = name.substring(dash + 1);
        if (prefix.isEmpty() || prefix.endsWith("-")) {
            throw refuse(name, "it has no StatefulSet name before the ordinal");
        }
        if (digits.isEmpty()) {
            throw refuse(name, "the ordinal after the last '-' is empty");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw refuse(name, "the suffix '" + digits + "' after the last '-' is not a decimal ordinal");
            }
        }
        if (digits.length() > 6 || Integer.parseInt(digits) > MAX_ORDINAL) {
            throw refuse(name, "the ordinal " + digits + " is larger than " + MAX_ORDINAL);
        }
        return Integer.parseInt(digits);
    }

    private static PortAllocationException refuse(String podName, String why) {
        return new PortAllocationException("slot strategy: cannot take a StatefulSet ordinal from pod name '"
                + podName + "': " + why + " (expected NAME-ORDINAL such as cqkd-worker-17)");
    }
}
