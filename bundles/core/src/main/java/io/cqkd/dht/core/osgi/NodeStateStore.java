package io.cqkd.dht.core.osgi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.NodeRecord;
import io.cqkd.dht.api.NodeRole;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node keeps across restarts, so a restarted container rejoins from where it was instead
 * of bootstrapping from scratch: its node id and a snapshot of its routing table.
 *
 * <p>One file per node, {@code <dataDir>/<node name>.json}, versioned JSON:
 * <pre>{"version":1,"node":"worker-1","id":"<40 hex>","savedAt":"2026-...Z",
 *  "contacts":[{"id":"<40 hex>","host":"127.0.0.1","port":7001,"role":"worker","region":"","capabilities":[]}]}</pre>
 * Written safely: a temporary file in the same directory, flushed to disk, then moved over the
 * old one atomically, so a crash leaves the old file or the new one, never half of one. A file
 * that cannot be read, is not valid JSON, has another {@code version} or names another node is
 * ignored with one WARN (the node then starts as it would without it). Contacts that fail
 * validation are skipped one by one. Not thread-safe per node: its owner serialises calls.
 */
final class NodeStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStateStore.class);

    /** The format version written and accepted. */
    static final int VERSION = 1;
    /** Contacts kept at most (the k closest of a few buckets are plenty to rejoin). */
    static final int MAX_CONTACTS = 200;
    /** Largest file read (a full snapshot is about 30 KB). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's content. */
    record StateFile(int version, String node, String id, String savedAt, List<SavedContact> contacts) {
    }

    /** One contact of the routing table. */
    record SavedContact(String id, String host, int port, String role, String region, List<String> capabilities) {
    }

    /** What was loaded: the id and the contacts to ping first. */
    record Snapshot(NodeId id, List<Contact> contacts, Instant savedAt) {
    }

    private final Path dir;

    /** A store in {@code dir} (created when the first file is written). */
    NodeStateStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The directory. */
    Path dir() {
        return dir;
    }

    /** The file of node {@code name}: its name with every character outside {@code [A-Za-z0-9._-]} as '_'. */
    Path file(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        return dir.resolve(safe + ".json");
    }

    /** The saved state of node {@code name}, or empty (none yet, or ignored with one WARN). */
    Optional<Snapshot> load(String name) {
        Path f = file(name);
        StateFile s;
        try {
            if (Files.size(f) > MAX_FILE_BYTES) {
                return ignore(f, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            s = JSON.readValue(f.toFile(), StateFile.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return ignore(f, "unreadable: " + NodeRunner.oneLine(e.getMessage()));
        }
        if (s == null || s.version() != VERSION) {
            return ignore(f, "format version " + (s == null ? "missing" : s.version()) + ", this node reads " + VERSION);
        }
        if (s.node() != null && !s.node().equals(name)) {
            return ignore(f, "it belongs to node '" + s.node() + "'");
        }
        NodeId id;
        try {
            id = NodeId.ofHex(s.id());
        } catch (RuntimeException e) {
            return ignore(f, "invalid id '" + s.id() + "'");
        }
        List<Contact> contacts = new ArrayList<>();
        if (s.contacts() != null) {
            for (SavedContact c : s.contacts()) {
                Contact contact = toContact(c);
                if (contact != null && !contact.id().equals(id) && contacts.size() < MAX_CONTACTS) {
                    contacts.add(contact);
                }
            }
        }
        Instant savedAt;
        try {
            savedAt = s.savedAt() == null ? Instant.EPOCH : Instant.parse(s.savedAt());
        } catch (RuntimeException e) {
            savedAt = Instant.EPOCH;
        }
        return Optional.of(new Snapshot(id, List.copyOf(contacts), savedAt));
    }

    private static Optional<Snapshot> ignore(Path f, String why) {
        LOG.warn("event=node_state_ignored file={} reason=\"{}\"", f, why);
        return Optional.empty();
    }

    private static Contact toContact(SavedContact c) {
        try {
            if (c == null || c.host() == null || c.port() < 1 || c.port() > 65535) {
                return null;
            }
            // a literal address only: never a DNS lookup while a node starts
            if (!c.host().matches("[0-9a-fA-F:.]+")) {
                return null;
            }
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(c.host()), c.port());
            NodeRecord r = new NodeRecord(NodeRole.parse(c.role()), c.region() == null ? "" : c.region(),
                    c.capabilities() == null ? java.util.Set.of() : new LinkedHashSet<>(c.capabilities()));
            return new Contact(NodeId.ofHex(c.id()), a, r);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Writes the state of node {@code name} atomically (temporary file, fsync, atomic move).
     *
     * @throws IOException when the directory or the file cannot be written (the old file stays)
     */
    void save(String name, NodeId id, List<Contact> contacts, Instant now) throws IOException {
        List<SavedContact> out = new ArrayList<>(Math.min(contacts.size(), MAX_CONTACTS));
        for (Contact c : contacts) {
            if (out.size() >= MAX_CONTACTS) {
                break;
            }
            if (c.address().getAddress() == null || c.id().equals(id)) {
                continue;
            }
            List<String> caps = new ArrayList<>(c.record().capabilities());
            caps.sort(null);
            out.add(new SavedContact(c.id().toHex(), c.address().getAddress().getHostAddress(), c.address().getPort(),
                    c.record().role().configName(), c.record().region(), caps));
        }
        byte[] bytes = JSON.writeValueAsBytes(new StateFile(VERSION, name, id.toHex(), now.toString(), out));
        Files.createDirectories(dir);
        Path target = file(name);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = java.nio.channels.Channels.newOutputStream(ch)) {
                os.write(bytes);
                os.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
