package io.cqkd.dht.core.wire;

import io.cqkd.dht.api.NodeRole;

/**
 * A bootstrap node as the tier messages carry it ({@link Message.JoinReply} referrals,
 * {@link Message.Referral}).
 *
 * @param name           name in the tier (1-64 of A-Z a-z 0-9 . _ ~ -)
 * @param id             20-byte node id, or an empty array when unknown
 * @param level          super, regional or local
 * @param region         region, "" for none
 * @param parent         parent's name, "" for none
 * @param ip             4 or 16 address bytes
 * @param port           UDP port
 * @param activeSessions sessions at the last report (plus referrals since, as estimated by the sender)
 * @param capacity       capacity
 * @param healthy        the sender's view of the node's health
 */
public record WireBootstrapNode(String name, byte[] id, NodeRole level, String region, String parent, byte[] ip,
                                int port, int activeSessions, int capacity, boolean healthy) {
}
