package io.cqkd.dht.tier.model;

import java.util.List;

/** An invalid tier environment; the message lists every problem, each naming its variable. */
public final class TierConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    /** With the problems found. */
    public TierConfigException(List<String> problems) {
        super("invalid tier environment: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
