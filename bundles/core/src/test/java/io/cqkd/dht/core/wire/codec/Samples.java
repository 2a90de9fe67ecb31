package io.cqkd.dht.core.wire.codec;

import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.ErrorCode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireBootstrapNode;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
import io.cqkd.dht.core.wire.WireWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One or more instances of every message type, with varied field values. */
public final class Samples {
    private Samples() {
    }

    public static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    public static Peer peer(Random r) {
        return new Peer(bytes(r, 20), NodeRole.values()[r.nextInt(NodeRole.values().length)],
                r.nextBoolean() ? "" : "eu-west", r.nextBoolean() ? List.of() : List.of("qkd", "alice"));
    }

    public static WireContact contact(Random r) {
        return new WireContact(bytes(r, 20), r.nextBoolean() ? bytes(r, 4) : bytes(r, 16), 1 + r.nextInt(65535),
                NodeRole.WORKER, "r" + r.nextInt(100), List.of("cap" + r.nextInt(9)));
    }

    public static WireValue value(Random r, boolean tombstone) {
        return new WireValue("key-" + r.nextInt(), tombstone ? "" : "{\"a\":" + r.nextInt() + ",\"s\":\"\u00e9\u4e2d\"}",
                r.nextLong() & Long.MAX_VALUE, 1 + r.nextInt(1_000_000), bytes(r, 20), tombstone);
    }

    /** A bootstrap node for tier messages (ids alternate between known and unknown). */
    public static WireBootstrapNode bootstrapNode(Random r, int i) {
        NodeRole level = i % 3 == 0 ? NodeRole.SUPER : i % 3 == 1 ? NodeRole.REGIONAL : NodeRole.LOCAL;
        return new WireBootstrapNode("lb-" + i, i % 2 == 0 ? bytes(r, 20) : new byte[0], level,
                level == NodeRole.SUPER ? "" : "east", level == NodeRole.SUPER ? "" : "sb-primary", bytes(r, 4),
                5678 + i, r.nextInt(50), 50, i % 5 != 0);
    }

    /** Every message type at least once. */
    public static List<Message> all(long seed) {
        Random r = new Random(seed);
        List<Message> m = new ArrayList<>();
        m.add(new Message.Ping(r.nextLong(), peer(r)));
        m.add(new Message.Pong(r.nextLong(), peer(r), bytes(r, 4), 40000));
        m.add(new Message.Pong(r.nextLong(), peer(r), bytes(r, 16), 0));
        m.add(new Message.FindNode(r.nextLong(), peer(r), bytes(r, 20)));
        List<WireContact> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(contact(r));
        }
        m.add(new Message.Nodes(r.nextLong(), peer(r), twenty));
        m.add(new Message.Nodes(r.nextLong(), peer(r), List.of()));
        m.add(new Message.FindValue(r.nextLong(), peer(r), bytes(r, 20)));
        m.add(new Message.ValueFound(r.nextLong(), peer(r), value(r, false)));
        m.add(new Message.ValueFound(r.nextLong(), peer(r), value(r, true)));
        m.add(new Message.Store(r.nextLong(), peer(r), bytes(r, 20), value(r, false)));
        String big = "\"" + "x".repeat(DhtLimits.MAX_VALUE_BYTES - 2) + "\"";
        m.add(new Message.Store(r.nextLong(), peer(r), bytes(r, 20),
                new WireValue("k".repeat(DhtLimits.MAX_KEY_BYTES), big, 7, DhtLimits.MAX_TTL.toMillis(), bytes(r, 20), false)));
        m.add(new Message.StoreAck(r.nextLong(), peer(r), true, null));
        m.add(new Message.StoreAck(r.nextLong(), peer(r), false, "full"));
        for (ErrorCode c : ErrorCode.values()) {
            m.add(new Message.ErrorReply(r.nextLong(), peer(r), c.name()));
        }
        // bootstrap tier
        List<WireBootstrapNode> nodes = new ArrayList<>();
        for (int i = 0; i < MessageValidator.MAX_BOOTSTRAP_NODES; i++) {
            nodes.add(bootstrapNode(r, i));
        }
        m.add(new Message.Join(r.nextLong(), peer(r), "east", 1000));
        m.add(new Message.JoinReply(r.nextLong(), peer(r), Message.JoinReply.ADMITTED, 90_000, List.of(), "", ""));
        m.add(new Message.JoinReply(r.nextLong(), peer(r), Message.JoinReply.REFERRED, 0, nodes.subList(0, 3), "", ""));
        m.add(new Message.JoinReply(r.nextLong(), peer(r), Message.JoinReply.REFUSED, 0, List.of(), "AT_CAPACITY",
                "lb-001 at capacity 50/50 and no healthy node with room is known"));
        m.add(new Message.Renew(r.nextLong(), peer(r)));
        m.add(new Message.Leave(r.nextLong(), peer(r)));
        m.add(new Message.TierAck(r.nextLong(), peer(r), true, ""));
        m.add(new Message.TierAck(r.nextLong(), peer(r), false, "unknown_session"));
        m.add(new Message.LoadReport(r.nextLong(), peer(r), "lb-001", NodeRole.LOCAL, "east", "rb-east-1", 12, 50, true));
        m.add(new Message.LoadReport(r.nextLong(), peer(r), "sb-primary", NodeRole.SUPER, "", "", 0, 500, false));
        m.add(new Message.ReferralRequest(r.nextLong(), peer(r), "", "", 16));
        m.add(new Message.ReferralRequest(r.nextLong(), peer(r), "local", "west", 8));
        m.add(new Message.Referral(r.nextLong(), peer(r), "rb-east-1", nodes));
        m.add(new Message.Referral(r.nextLong(), peer(r), "", List.of()));
        m.add(new Message.RegisterWorkers(r.nextLong(), peer(r), "east",
                List.of(new WireWorker(bytes(r, 20), bytes(r, 4), 7001, true))));
        List<WireWorker> full = new ArrayList<>();
        for (int i = 0; i < MessageValidator.MAX_WORKERS; i++) {
            full.add(new WireWorker(bytes(r, 20), bytes(r, 16), 7002 + i, i % 3 != 0));
        }
        m.add(new Message.RegisterWorkers(r.nextLong(), peer(r), "", full));
        m.add(new Message.CapacityOrder(r.nextLong(), peer(r), "lb-002", 100, "lb-001"));
        m.add(new Message.CapacityOrder(r.nextLong(), peer(r), "lb-002", 50, ""));
        return m;
    }

    /** Where {@code needle} first starts in {@code hay}; fails the test when it does not occur. */
    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
