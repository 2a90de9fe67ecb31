package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortRange;

/**
 * What an allocation would give now, found without taking anything (ports:allocate --dry-run).
 *
 * @param port          the first candidate that is neither held here nor refused by policy and that
 *                      could be bound at the time of the probe
 * @param strategy      what chose it (strategy name, {@code explicit} or {@code legacy})
 * @param rangeName     the request's range
 * @param range         its ports
 * @param skippedHeld   candidates skipped because a node of this container holds them
 * @param skippedPolicy candidates skipped because the policy refuses them
 * @param skippedBusy   candidates skipped because another process has them bound
 */
public record Preview(int port, String strategy, RangeName rangeName, PortRange range, int skippedHeld,
                      int skippedPolicy, int skippedBusy) {
}
