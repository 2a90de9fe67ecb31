package io.cqkd.dht.ports;

import io.cqkd.dht.api.ports.PortRange;

/**
 * Utilization of one range in this container.
 *
 * @param name      which range
 * @param range     its ports
 * @param total     ports in the range
 * @param used      ports of the range held by nodes of this container
 * @param blocked   ports of the range the policy refuses (blocked or outside the allowed ranges) and nobody holds
 * @param available {@code total - used - blocked}: ports this container could still hand out
 *                  (other processes on the host may hold some of them; only a bind tells)
 * @param percent   {@code used / total * 100}, rounded to two decimals
 */
public record RangeUsage(RangeName name, PortRange range, int total, int used, int blocked, int available,
                         double percent) {
}
