package io.cqkd.dht.core.wire.codec;

import io.cqkd.dht.api.DhtLimits;
import io.cqkd.dht.api.NodeRole;
import io.cqkd.dht.core.wire.ErrorCode;
import io.cqkd.dht.core.wire.Message;
import io.cqkd.dht.core.wire.Peer;
import io.cqkd.dht.core.wire.WireContact;
import io.cqkd.dht.core.wire.WireValue;
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
        return m;
    }
}
