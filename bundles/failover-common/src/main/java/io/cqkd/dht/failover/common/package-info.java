/**
 * Rules shared by the failover policy bundles, embedded privately in each of them with bnd's
 * {@code -conditionalpackage} (never exported, never deployed on its own), for the same reason as
 * {@code select-common}: a fix to a rule ships in a policy bundle and hot-swaps, instead of
 * updating the API bundle and refreshing every node wired to it.
 * <ul>
 *   <li>{@link io.cqkd.dht.failover.common.ClientMoves} - where a client goes when its bootstrap
 *       node (or parent) failed: the next usable node of the level, then the level above;</li>
 *   <li>{@link io.cqkd.dht.failover.common.Rebalance} - where a failed node's sessions are expected
 *       to go among the remaining nodes.</li>
 * </ul>
 * Pure functions of their arguments: deterministic, no clock, no I/O.
 */
package io.cqkd.dht.failover.common;
