package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.RoutingSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The k-buckets of one node. Pure data structure: it never sends anything. Inserting a contact
 * returns a decision ({@link InsertResult}); when a bucket is full the caller pings the least
 * recently seen contact and reports the outcome with {@link #pingSucceeded} or {@link #pingFailed}.
 *
 * <h2>Implementation notes (departures from the paper)</h2>
 * <ul>
 *   <li>Bucket {@code i} holds the contacts whose common prefix with self is {@code 159 - i}
 *   (bucket 159 is the farthest half of the id space). There is no bucket splitting: 160 fixed
 *   buckets, most of them empty.</li>
 *   <li>Each bucket keeps a bounded replacement cache (most recent last). When a contact is
 *   evicted, the most recently seen replacement is promoted.</li>
 *   <li>At most one eviction ping per bucket is outstanding: while it runs, newcomers only go
 *   to the replacement cache ({@link InsertResult.Full}).</li>
 *   <li>A known id seen at a different address keeps its old address: the new one waits in the
 *   replacement cache and the old one is pinged; only if that ping fails does the new address
 *   replace it (an id cannot be hijacked by a spoofed source).</li>
 *   <li>A contact is also dropped after {@code staleFailures} consecutive failed RPCs of any kind
 *   ({@link #recordFailure}), which removes dead nodes without waiting for a full bucket.</li>
 * </ul>
 * Not thread-safe: used on the engine thread only.
 */
public final class RoutingTable {
    /** Number of buckets. */
    public static final int BUCKETS = NodeId.BITS;

    /** What {@link #observe} did. */
    public sealed interface InsertResult {
        /** The contact was added to its bucket. */
        record Inserted() implements InsertResult {
        }

        /** The contact was already there; it is now the most recently seen. */
        record Updated() implements InsertResult {
        }

        /** The bucket is full (or the id is known at another address): ping {@code oldest}, then report. */
        record Pending(Contact oldest) implements InsertResult {
        }

        /** The bucket is full and a ping is already running: the contact waits in the replacement cache. */
        record Full() implements InsertResult {
        }

        /** Never inserted (our own id). */
        record Rejected() implements InsertResult {
        }
    }

    private static final InsertResult INSERTED = new InsertResult.Inserted();
    private static final InsertResult UPDATED = new InsertResult.Updated();
    private static final InsertResult FULL = new InsertResult.Full();
    private static final InsertResult REJECTED = new InsertResult.Rejected();

    private static final class Entry {
        Contact contact;
        long lastSeen;
        int failures;

        Entry(Contact contact, long lastSeen) {
            this.contact = contact;
            this.lastSeen = lastSeen;
        }
    }

    private static final class Bucket {
        final ArrayList<Entry> entries = new ArrayList<>();
        final ArrayDeque<Contact> replacements = new ArrayDeque<>();
        long lastTouched;
        NodeId pendingPing;

        Bucket(long now) {
            lastTouched = now;
        }

        int indexOf(NodeId id) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).contact.id().equals(id)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final NodeId self;
    private final int k;
    private final int replacementCacheSize;
    private final Bucket[] buckets = new Bucket[BUCKETS];
    private int size;

    /**
     * An empty table.
     *
     * @param self                 our id (never inserted)
     * @param k                    bucket size
     * @param replacementCacheSize replacements kept per bucket
     * @param now                  engine time, the initial touch time of every bucket
     */
    public RoutingTable(NodeId self, int k, int replacementCacheSize, long now) {
        this.self = self;
        this.k = k;
        this.replacementCacheSize = replacementCacheSize;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new Bucket(now);
        }
    }

    /** Bucket index of {@code id}: {@code 159 - commonPrefixLength(self, id)}, or -1 for self. */
    public int bucketIndex(NodeId id) {
        return BUCKETS - 1 - self.commonPrefixLength(id);
    }

    /** Contacts held. */
    public int size() {
        return size;
    }

    /** Bucket size. */
    public int k() {
        return k;
    }

    /**
     * Records that {@code contact} was seen (it sent us a valid message). See {@link InsertResult}.
     */
    public InsertResult observe(Contact contact, long now) {
        int index = bucketIndex(contact.id());
        if (index < 0) {
            return REJECTED;
        }
        Bucket b = buckets[index];
        int pos = b.indexOf(contact.id());
        if (pos >= 0) {
            Entry e = b.entries.get(pos);
            if (!e.contact.address().equals(contact.address())) {
                addReplacement(b, contact);
                if (b.pendingPing == null) {
                    b.pendingPing = e.contact.id();
                    return new InsertResult.Pending(e.contact);
                }
                return FULL;
            }
            b.entries.remove(pos);
            e.contact = contact;
            e.lastSeen = now;
            e.failures = 0;
            b.entries.add(e);
            b.lastTouched = now;
            if (contact.id().equals(b.pendingPing)) {
                b.pendingPing = null;
            }
            return UPDATED;
        }
        if (b.entries.size() < k) {
            removeReplacement(b, contact.id());
            b.entries.add(new Entry(contact, now));
            b.lastTouched = now;
            size++;
            return INSERTED;
        }
        addReplacement(b, contact);
        if (b.pendingPing == null) {
            Contact oldest = b.entries.get(0).contact;
            b.pendingPing = oldest.id();
            return new InsertResult.Pending(oldest);
        }
        return FULL;
    }

    /** The eviction ping of {@code id} was answered: it stays, as the most recently seen. */
    public void pingSucceeded(NodeId id, long now) {
        int index = bucketIndex(id);
        if (index < 0) {
            return;
        }
        Bucket b = buckets[index];
        if (id.equals(b.pendingPing)) {
            b.pendingPing = null;
        }
        int pos = b.indexOf(id);
        if (pos >= 0) {
            Entry e = b.entries.remove(pos);
            e.lastSeen = now;
            e.failures = 0;
            b.entries.add(e);
        }
    }

    /**
     * The eviction ping of {@code id} failed: it is removed and the most recent replacement is
     * promoted. Returns the promoted contact, if any.
     */
    public Optional<Contact> pingFailed(NodeId id, long now) {
        int index = bucketIndex(id);
        if (index < 0) {
            return Optional.empty();
        }
        Bucket b = buckets[index];
        if (id.equals(b.pendingPing)) {
            b.pendingPing = null;
        }
        return removeAndPromote(b, id, now);
    }

    /**
     * Counts a failed RPC to {@code id}; after {@code staleFailures} consecutive failures the
     * contact is removed (and a replacement promoted). Returns true when it was removed.
     */
    public boolean recordFailure(NodeId id, int staleFailures, long now) {
        int index = bucketIndex(id);
        if (index < 0) {
            return false;
        }
        Bucket b = buckets[index];
        int pos = b.indexOf(id);
        if (pos < 0) {
            removeReplacement(b, id);
            return false;
        }
        Entry e = b.entries.get(pos);
        if (++e.failures < staleFailures) {
            return false;
        }
        if (id.equals(b.pendingPing)) {
            b.pendingPing = null;
        }
        removeAndPromote(b, id, now);
        return true;
    }

    private Optional<Contact> removeAndPromote(Bucket b, NodeId id, long now) {
        int pos = b.indexOf(id);
        if (pos < 0) {
            return Optional.empty();
        }
        b.entries.remove(pos);
        size--;
        Contact promoted = b.replacements.pollLast();
        if (promoted != null) {
            b.entries.add(new Entry(promoted, now));
            size++;
        }
        return Optional.ofNullable(promoted);
    }

    private void addReplacement(Bucket b, Contact c) {
        if (replacementCacheSize == 0) {
            return;
        }
        removeReplacement(b, c.id());
        b.replacements.addLast(c);
        while (b.replacements.size() > replacementCacheSize) {
            b.replacements.pollFirst();
        }
    }

    private static void removeReplacement(Bucket b, NodeId id) {
        Iterator<Contact> it = b.replacements.iterator();
        while (it.hasNext()) {
            if (it.next().id().equals(id)) {
                it.remove();
                return;
            }
        }
    }

    /** The contact with {@code id}, if held. */
    public Optional<Contact> get(NodeId id) {
        int index = bucketIndex(id);
        if (index < 0) {
            return Optional.empty();
        }
        Bucket b = buckets[index];
        int pos = b.indexOf(id);
        return pos < 0 ? Optional.empty() : Optional.of(b.entries.get(pos).contact);
    }

    /** True when {@code id} is held. */
    public boolean contains(NodeId id) {
        return get(id).isPresent();
    }

    /** Contacts of bucket {@code index}, least recently seen first. */
    public List<Contact> bucket(int index) {
        List<Contact> out = new ArrayList<>(buckets[index].entries.size());
        for (Entry e : buckets[index].entries) {
            out.add(e.contact);
        }
        return out;
    }

    /** Replacement candidates of bucket {@code index}, oldest first. */
    public List<Contact> replacements(int index) {
        return List.copyOf(buckets[index].replacements);
    }

    /** Every contact, bucket by bucket. */
    public List<Contact> all() {
        List<Contact> out = new ArrayList<>(size);
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                out.add(e.contact);
            }
        }
        return out;
    }

    /**
     * Up to {@code n} contacts closest to {@code target}, closest first. Uses the bucket layout
     * instead of sorting the whole table: with {@code b} the bucket of the target, the contacts of
     * bucket {@code b} are the closest, then those of every bucket below {@code b} (all at the
     * same highest distance bit), then buckets {@code b+1, b+2, ...} in order.
     */
    public List<Contact> closest(NodeId target, int n) {
        List<Contact> out = new ArrayList<>(Math.min(n, size) + k);
        java.util.Comparator<Contact> byDistance = (a, b) -> target.compareDistance(a.id(), b.id());
        int bt = bucketIndex(target);
        if (bt >= 0) {
            addSorted(out, buckets[bt], byDistance);
            if (out.size() < n) {
                int from = out.size();
                for (int i = 0; i < bt; i++) {
                    for (Entry e : buckets[i].entries) {
                        out.add(e.contact);
                    }
                }
                out.subList(from, out.size()).sort(byDistance);
            }
        }
        for (int i = bt + 1; i < BUCKETS && out.size() < n; i++) {
            addSorted(out, buckets[i], byDistance);
        }
        while (out.size() > n) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static void addSorted(List<Contact> out, Bucket b, java.util.Comparator<Contact> byDistance) {
        int from = out.size();
        for (Entry e : b.entries) {
            out.add(e.contact);
        }
        if (out.size() - from > 1) {
            out.subList(from, out.size()).sort(byDistance);
        }
    }

    /**
     * Number of held contacts strictly closer to {@code target} than {@code id}; used to decide
     * whether a node is among the k closest without sorting.
     */
    public int countCloser(NodeId target, NodeId id) {
        int n = 0;
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                if (target.compareDistance(e.contact.id(), id) < 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Marks the bucket {@code id} falls in as used now (a lookup went through its range). */
    public void touch(NodeId id, long now) {
        int index = bucketIndex(id);
        if (index >= 0) {
            buckets[index].lastTouched = now;
        }
    }

    /** Engine time bucket {@code index} was last touched. */
    public long lastTouched(int index) {
        return buckets[index].lastTouched;
    }

    /**
     * Buckets that need a refresh: idle for at least {@code idleMillis}, from the farthest down to
     * the nearest non-empty one (nearer buckets are empty because nobody is there).
     */
    public List<Integer> idleBuckets(long now, long idleMillis) {
        List<Integer> out = new ArrayList<>();
        int nearest = nearestNonEmpty();
        if (nearest < 0) {
            return out;
        }
        for (int i = BUCKETS - 1; i >= nearest; i--) {
            if (now - buckets[i].lastTouched >= idleMillis) {
                out.add(i);
            }
        }
        return out;
    }

    /** Index of the nearest non-empty bucket, -1 when the table is empty. */
    public int nearestNonEmpty() {
        for (int i = 0; i < BUCKETS; i++) {
            if (!buckets[i].entries.isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** A uniformly random id that falls in bucket {@code index}. */
    public NodeId randomIdInBucket(int index, RandomGenerator random) {
        int cpl = BUCKETS - 1 - index;
        byte[] out = NodeId.random(random).toBytes();
        byte[] me = self.toBytes();
        for (int bit = 0; bit <= cpl && bit < NodeId.BITS; bit++) {
            int byteIndex = bit >>> 3;
            int mask = 0x80 >>> (bit & 7);
            int mine = me[byteIndex] & mask;
            int want = bit < cpl ? mine : (mine ^ mask);
            out[byteIndex] = (byte) ((out[byteIndex] & ~mask) | want);
        }
        return NodeId.of(out);
    }

    /** Immutable view for operators: non-empty buckets, nearest first. */
    public RoutingSnapshot snapshot() {
        List<RoutingSnapshot.Bucket> out = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            Bucket b = buckets[i];
            if (!b.entries.isEmpty() || !b.replacements.isEmpty()) {
                out.add(new RoutingSnapshot.Bucket(i, bucket(i), b.replacements.size(), b.lastTouched));
            }
        }
        return new RoutingSnapshot(self, k, out);
    }
}
