package io.cqkd.dht.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateStoreTest {
    @TempDir
    Path dir;

    final SplittableRandom rng = new SplittableRandom(3);
    final Instant now = Instant.parse("2026-11-21T06:00:00Z");

    Contact contact(int i, NodeRecord record) throws Exception {
        return new Contact(NodeId.random(rng), new InetSocketAddress(InetAddress.getByName("10.0.0." + i), 7000 + i),
                record);
    }

    List<Contact> contacts(int n) throws Exception {
        List<Contact> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(contact(i, i % 3 == 0 ? new NodeRecord(NodeRole.LOCAL, "east", Set.of("tier", "relay"))
                    : NodeRecord.WORKER));
        }
        return out;
    }

    @Test
    void roundTripKeepsIdAndContacts() throws Exception {
        NodeStateStore store = new NodeStateStore(dir.resolve("data"));
        NodeId id = NodeId.random(rng);
        List<Contact> saved = contacts(25);
        saved.add(new Contact(NodeId.random(rng), new InetSocketAddress(InetAddress.getByName("::1"), 5678),
                new NodeRecord(NodeRole.SUPER, "", Set.of())));
        store.save("worker-1", id, saved, now);
        assertTrue(Files.isRegularFile(dir.resolve("data/worker-1.json")), "the directory is created");

        NodeStateStore.Snapshot s = store.load("worker-1").orElseThrow();
        assertEquals(id, s.id());
        assertEquals(saved, s.contacts(), "ids, addresses, roles, regions and capabilities survive");
        assertEquals(now, s.savedAt());
        String json = Files.readString(store.file("worker-1"));
        assertTrue(json.contains("\"version\" : 1") && json.contains("\"node\" : \"worker-1\""), json);
        assertEquals(Optional.empty(), store.load("worker-2"), "no file: nothing, silently");
    }

    @Test
    void fileNamesAreSafeAndOwnIdAndBoundsAreApplied() throws Exception {
        NodeStateStore store = new NodeStateStore(dir);
        assertEquals(dir.resolve("a_b_.._c.json"), store.file("a/b/../c"));
        assertEquals(dir.resolve("_.hidden.json"), store.file(".hidden"));
        NodeId id = NodeId.random(rng);
        List<Contact> many = contacts(250);
        many.add(0, new Contact(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), NodeRecord.WORKER));
        store.save("n", id, many, now);
        NodeStateStore.Snapshot s = store.load("n").orElseThrow();
        assertEquals(NodeStateStore.MAX_CONTACTS, s.contacts().size());
        assertFalse(s.contacts().stream().anyMatch(c -> c.id().equals(id)), "never itself");
    }

    @Test
    void corruptFilesAreIgnored() throws Exception {
        NodeStateStore store = new NodeStateStore(dir);
        for (String bad : List.of("", "{", "not json", "[]", "{\"version\":1,\"node\":\"n\",\"id\":\"zz\"}",
                "\u0000\u0001garbage")) {
            Files.writeString(store.file("n"), bad);
            assertEquals(Optional.empty(), store.load("n"), "'" + bad + "'");
        }
        // a truncated save (as if the disk filled up under a non-atomic writer)
        store.save("n", NodeId.random(rng), contacts(10), now);
        byte[] full = Files.readAllBytes(store.file("n"));
        Files.write(store.file("n"), java.util.Arrays.copyOf(full, full.length / 2));
        assertEquals(Optional.empty(), store.load("n"));
        // one bad contact is skipped, the others kept
        store.save("n", NodeId.random(rng), contacts(3), now);
        String json = Files.readString(store.file("n")).replaceFirst("\"port\" : 7001", "\"port\" : 0")
                .replaceFirst("\"host\" : \"10.0.0.2\"", "\"host\" : \"evil.example.com\"");
        Files.writeString(store.file("n"), json);
        assertEquals(1, store.load("n").orElseThrow().contacts().size());
    }

    @Test
    void otherVersionsAndOtherNodesFilesAreIgnored() throws Exception {
        NodeStateStore store = new NodeStateStore(dir);
        NodeId id = NodeId.random(rng);
        store.save("n", id, contacts(3), now);
        String v1 = Files.readString(store.file("n"));
        Files.writeString(store.file("n"), v1.replace("\"version\" : 1", "\"version\" : 2"));
        assertEquals(Optional.empty(), store.load("n"), "a newer format is not guessed at");
        Files.writeString(store.file("n"), v1.replace("\"version\" : 1,", ""));
        assertEquals(Optional.empty(), store.load("n"), "no version");
        Files.writeString(store.file("n"), v1.replace("\"node\" : \"n\"", "\"node\" : \"other\""));
        assertEquals(Optional.empty(), store.load("n"), "a file copied from another node");
        Files.writeString(store.file("n"), v1.replace("{", "{\"future\" : [1, 2],"));
        assertEquals(id, store.load("n").orElseThrow().id(), "unknown fields of the same version are fine");
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws Exception {
        NodeStateStore store = new NodeStateStore(dir);
        NodeId id = NodeId.random(rng);
        store.save("n", id, contacts(5), now);
        // a crash between writing the temporary file and the move leaves a stray temporary: harmless
        Files.writeString(dir.resolve("n.json.123.tmp"), "{\"version\":1,\"node\":\"n\",\"id\":\"bad");
        assertEquals(id, store.load("n").orElseThrow().id());

        // a reader never sees a half-written file while the writer replaces it again and again
        List<List<Contact>> versions = List.of(contacts(1), contacts(150), contacts(40));
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> broken = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                Optional<NodeStateStore.Snapshot> s = store.load("n");
                if (s.isEmpty() || !s.get().id().equals(id)) {
                    broken.set("read " + s);
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        for (int i = 0; i < 300; i++) {
            store.save("n", id, versions.get(i % versions.size()), now.plusSeconds(i));
        }
        done.set(true);
        reader.join();
        assertEquals(null, broken.get(), "every read saw a whole file (" + reads.get() + " reads)");
        assertTrue(reads.get() > 10, "the reader ran: " + reads.get());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("n.json", "n.json.123.tmp"), names, "no temporary file of ours left behind");
        }
        assertEquals(40, store.load("n").orElseThrow().contacts().size(), "the last write wins");
        assertTrue(Files.readString(store.file("n"), StandardCharsets.UTF_8).endsWith("}"));
    }
}
