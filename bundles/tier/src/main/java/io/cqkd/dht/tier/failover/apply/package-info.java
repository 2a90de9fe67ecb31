/**
 * How a node's tier agent applies failover decisions to the tier model
 * ({@code io.cqkd.dht.tier.model}): {@link io.cqkd.dht.tier.failover.apply.FailoverActions}.
 * Separate from {@code io.cqkd.dht.tier.failover} because it needs the tier model; a bundle that
 * embeds it must embed {@code io.cqkd.dht.tier.model} too (the core bundle does).
 */
package io.cqkd.dht.tier.failover.apply;
