package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import io.cqkd.dht.api.RoutingSnapshot;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 *   buckets, most of them empty. A bucket object exists only once something was put in it or
 *   it was touched (a node at N=1000 uses ~12 of the 160); an absent bucket reads as empty and
 *   last touched when the table was created, exactly what an eagerly allocated one would say.</li>
 *   <li>Each bucket keeps a bounded replacement cache (most recent last). When a contact is
 *   evicted, the most recently seen replacement is promoted.</li>
 *   <li>At most one eviction ping per bucket is outstanding: while it runs, newcomers only go
 *   to the replacement cache ({@link InsertResult.Full}).</li>
 *   <li>A known id seen at a different address keeps its old address: the new one waits in the
 *   replacement cache and the old one is pinged; only if that ping fails does the new address
 *   replace it (an id cannot be hijacked by a spoofed source).</li>
 *   <li>A contact is also dropped after {@code staleFailures} consecutive failed RPCs of any kind
 *   ({@link #recordFailure}), which removes dead nodes without waiting for a full bucket.</li>
 *   <li>At most one id per endpoint (ip:port). A new id at an endpoint already held by another id
 *   is not inserted: the caller pings the holder ({@link InsertResult.EndpointTaken}); only if
 *   that ping fails does the newcomer get in ({@link #takeChallenger}). While that ping runs,
 *   further ids at the endpoint only replace the waiting newcomer ({@link InsertResult.Ignored}).
 *   One source can therefore never hold more than one slot, however many ids it makes up (a
 *   Sybil flood from one socket). Replacements whose endpoint is held by another id are never
 *   promoted. There is deliberately no per-IP limit: local and test networks run every node on
 *   127.0.0.1.</li>
 *   <li>Contacts are shared between the tables of one JVM ({@link #canonical}): a container
 *   running many nodes holds one object per distinct contact, not one per table that knows it.</li>
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

        /**
         * Another id holds the endpoint: ping {@code holder} at it, then report with
         * {@link #pingSucceeded} or {@link #pingFailed} and {@link #takeChallenger}.
         */
        record EndpointTaken(Contact holder) implements InsertResult {
        }

        /**
         * Another id holds the endpoint and is already being pinged: the contact waits as its
         * challenger, in place of an earlier challenger with another id when {@code supersededAnother}.
         */
        record Ignored(boolean supersededAnother) implements InsertResult {
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
        /** Held contacts, least recently seen first (the empty list allocates its array on the first add). */
        final ArrayList<Entry> entries = new ArrayList<>();
        /** Replacement cache, most recent last; null until the first replacement. */
        ArrayDeque<Contact> replacements;
        long lastTouched;
        NodeId pendingPing;

        Bucket(long now) {
            lastTouched = now;
        }

        int replacementCount() {
            return replacements == null ? 0 : replacements.size();
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
    private final long freshMillis;
    /** Bucket objects, null until first used (see {@link #bucketFor}). */
    private final Bucket[] buckets = new Bucket[BUCKETS];
    /** Engine time the table was created: the last-touched time of every bucket not touched since. */
    private final long createdAt;
    /** Endpoint of every held contact -> its id (at most one id per endpoint). */
    private final Map<InetSocketAddress, NodeId> endpoints = new HashMap<>();
    /** Held endpoints whose holder is being pinged -> the latest other id seen there. */
    private final Map<InetSocketAddress, Contact> challengers = new HashMap<>();
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
        this(self, k, replacementCacheSize, 0, now);
    }

    /**
     * An empty table whose full buckets ping their least recently seen contact for a newcomer only
     * when that contact was last seen at least {@code freshMillis} ago (0: always, as in the paper).
     * A contact heard from that recently is alive, so the ping would only confirm it: the newcomer
     * waits in the replacement cache instead. In a join storm this removes one ping per newcomer
     * per full bucket (jech/dht does the same with its 15-minute "good node" rule).
     *
     * @param self                 our id (never inserted)
     * @param k                    bucket size
     * @param replacementCacheSize replacements kept per bucket
     * @param freshMillis          how long a contact counts as alive after it was last seen
     * @param now                  engine time, the initial touch time of every bucket
     */
    public RoutingTable(NodeId self, int k, int replacementCacheSize, long freshMillis, long now) {
        growShared(TABLES.incrementAndGet());
        this.self = self;
        this.k = k;
        this.replacementCacheSize = replacementCacheSize;
        this.freshMillis = freshMillis;
        this.createdAt = now;
    }

    // ---------------------------------------------------------------------------------------------
    // Contacts shared by the tables of the JVM

    /** Cache slots per table created. */
    private static final int SHARED_SLOTS_PER_TABLE = 4;
    private static final int MIN_SHARED = 1 << 10;
    private static final int MAX_SHARED = 1 << 18;
    private static final java.util.concurrent.atomic.AtomicInteger TABLES = new java.util.concurrent.atomic.AtomicInteger();
    private static volatile java.util.concurrent.atomic.AtomicReferenceArray<Contact> shared =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(MIN_SHARED);

    /**
     * The contact equal to {@code c} that another table of this JVM already holds, else {@code c}
     * (which becomes the one to share). A lossy direct-mapped cache, one contact per slot, the last
     * written wins; safe from any thread (contacts are immutable records, so which of two equal
     * instances a table keeps makes no difference to anything it does). At 1000 nodes in one JVM
     * every contact was held by ~130 tables as separate copies of ~184 bytes (the contact, its
     * id and id bytes, the socket address and IP address objects): ~23 KB per node. The cache has
     * {@value #SHARED_SLOTS_PER_TABLE} slots per table created (at least {@value #MIN_SHARED}, at
     * most {@value #MAX_SHARED}), so a JVM with a single node keeps at most ~1000 extra contacts
     * reachable.
     */
    static Contact canonical(Contact c) {
        java.util.concurrent.atomic.AtomicReferenceArray<Contact> cache = shared;
        int h = c.hashCode();
        int i = (h ^ (h >>> 16)) & (cache.length() - 1);
        Contact held = cache.getAcquire(i);
        if (held != null && held.equals(c)) {
            return held;
        }
        cache.setRelease(i, c);
        return c;
    }

    /** Grows the shared cache to {@value #SHARED_SLOTS_PER_TABLE} slots per table, keeping what it holds. */
    private static void growShared(int tables) {
        long want = Math.min(MAX_SHARED, (long) tables * SHARED_SLOTS_PER_TABLE);
        if (want <= shared.length()) {
            return;
        }
        synchronized (RoutingTable.class) {
            java.util.concurrent.atomic.AtomicReferenceArray<Contact> old = shared;
            if (want <= old.length()) {
                return;
            }
            int size = old.length();
            while (size < want) {
                size <<= 1;
            }
            java.util.concurrent.atomic.AtomicReferenceArray<Contact> bigger =
                    new java.util.concurrent.atomic.AtomicReferenceArray<>(size);
            for (int j = 0; j < old.length(); j++) {
                Contact c = old.getAcquire(j);
                if (c != null) {
                    int h = c.hashCode();
                    bigger.setPlain((h ^ (h >>> 16)) & (size - 1), c);
                }
            }
            shared = bigger; // volatile write publishes the filled array
        }
    }

    /** Bucket {@code index}, created (empty, touched at {@link #createdAt}) when absent. */
    private Bucket bucketFor(int index) {
        Bucket b = buckets[index];
        if (b == null) {
            b = new Bucket(createdAt);
            buckets[index] = b;
        }
        return b;
    }

    private static final List<Entry> NO_ENTRIES = List.of();

    /** The entries of bucket {@code index}; empty for an absent bucket. */
    private List<Entry> entries(int index) {
        Bucket b = buckets[index];
        return b == null ? NO_ENTRIES : b.entries;
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
        Bucket b = bucketFor(index);
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
            if (!contact.equals(e.contact)) {
                e.contact = canonical(contact); // same id and endpoint: the record changed
            }
            e.lastSeen = now;
            e.failures = 0;
            b.entries.add(e);
            b.lastTouched = now;
            if (contact.id().equals(b.pendingPing)) {
                b.pendingPing = null;
            }
            return UPDATED;
        }
        NodeId holder = endpoints.get(contact.address());
        if (holder != null) {
            // A second id at a held endpoint: the holder keeps it unless it fails a ping.
            Contact previous = challengers.put(contact.address(), contact);
            return previous == null ? new InsertResult.EndpointTaken(get(holder).orElseThrow())
                    : new InsertResult.Ignored(!previous.id().equals(contact.id()));
        }
        if (b.entries.size() < k) {
            removeReplacement(b, contact.id());
            addEntry(b, contact, now);
            b.lastTouched = now;
            return INSERTED;
        }
        addReplacement(b, contact);
        if (b.pendingPing == null && now - b.entries.get(0).lastSeen >= freshMillis) {
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
        if (b == null) {
            return;
        }
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
        if (b == null) {
            return Optional.empty();
        }
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
        if (b == null) {
            return false;
        }
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

    /**
     * Ends the endpoint challenge at {@code endpoint} (see {@link InsertResult.EndpointTaken}):
     * returns the id that waited for it, if any, and forgets it. After a failed ping of the holder,
     * the caller observes the returned contact; after an answered one, it drops it.
     */
    public Optional<Contact> takeChallenger(InetSocketAddress endpoint) {
        return Optional.ofNullable(challengers.remove(endpoint));
    }

    /** Endpoints with a challenge running (test seam and bound check). */
    int challenges() {
        return challengers.size();
    }

    private void addEntry(Bucket b, Contact contact, long now) {
        Contact c = canonical(contact);
        b.entries.add(new Entry(c, now));
        endpoints.put(c.address(), c.id());
        size++;
    }

    private Optional<Contact> removeAndPromote(Bucket b, NodeId id, long now) {
        int pos = b.indexOf(id);
        if (pos < 0) {
            return Optional.empty();
        }
        Entry gone = b.entries.remove(pos);
        endpoints.remove(gone.contact.address(), id);
        size--;
        // The most recent replacement whose endpoint no held id has (and not a held id at a new address).
        Contact promoted = null;
        Iterator<Contact> it = b.replacements == null ? java.util.Collections.emptyIterator()
                : b.replacements.descendingIterator();
        while (it.hasNext()) {
            Contact c = it.next();
            if (!endpoints.containsKey(c.address()) && b.indexOf(c.id()) < 0) {
                it.remove();
                promoted = c;
                break;
            }
        }
        if (promoted != null) {
            addEntry(b, promoted, now);
        }
        return Optional.ofNullable(promoted);
    }

    private void addReplacement(Bucket b, Contact c) {
        if (replacementCacheSize == 0) {
            return;
        }
        removeReplacement(b, c.id());
        if (b.replacements == null) {
            // room for the cache plus the one added before the oldest is dropped: never grows
            b.replacements = new ArrayDeque<>(replacementCacheSize + 1);
        }
        b.replacements.addLast(canonical(c));
        while (b.replacements.size() > replacementCacheSize) {
            b.replacements.pollFirst();
        }
    }

    private static void removeReplacement(Bucket b, NodeId id) {
        if (b.replacements == null) {
            return;
        }
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
        int pos = b == null ? -1 : b.indexOf(id);
        return pos < 0 ? Optional.empty() : Optional.of(b.entries.get(pos).contact);
    }

    /** True when {@code id} is held. */
    public boolean contains(NodeId id) {
        return get(id).isPresent();
    }

    /** Number of contacts in bucket {@code index}. */
    public int bucketSize(int index) {
        return entries(index).size();
    }

    /** Contacts of bucket {@code index}, least recently seen first (a copy). */
    public List<Contact> bucket(int index) {
        List<Entry> entries = entries(index);
        List<Contact> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.contact);
        }
        return out;
    }

    /** Replacement candidates of bucket {@code index}, oldest first. */
    public List<Contact> replacements(int index) {
        Bucket b = buckets[index];
        return b == null || b.replacements == null ? List.of() : List.copyOf(b.replacements);
    }

    /** Every contact, bucket by bucket. */
    public List<Contact> all() {
        List<Contact> out = new ArrayList<>(size);
        for (Bucket b : buckets) {
            if (b != null) {
                for (Entry e : b.entries) {
                    out.add(e.contact);
                }
            }
        }
        return out;
    }

    /**
     * Up to {@code n} contacts closest to {@code target}, closest first. Uses the bucket layout
     * instead of sorting the whole table, and sorts only within buckets (at most k contacts each),
     * stopping as soon as {@code n} are collected. With {@code b} the bucket of the target and
     * {@code D = self XOR target}: the contacts of bucket {@code b} are the closest (they share bit
     * {@code b} with the target); below {@code b}, a contact of bucket {@code i} has bit {@code i} of
     * its distance flipped against {@code D}, so every bucket {@code i < b} whose bit {@code i} of
     * {@code D} is 1 is closer than all buckets below it (taken in descending order), and every
     * bucket whose bit is 0 is farther than all buckets below it (taken afterwards, ascending);
     * then buckets {@code b+1, b+2, ...} in order.
     */
    public List<Contact> closest(NodeId target, int n) {
        return closest(target, n, null);
    }

    /** As {@link #closest(NodeId, int)}, only contacts {@code keep} accepts (null: all). */
    public List<Contact> closest(NodeId target, int n, java.util.function.Predicate<Contact> keep) {
        List<Contact> out = new ArrayList<>(Math.min(n, size));
        if (n <= 0 || size == 0) {
            return out;
        }
        java.util.Comparator<Contact> byDistance = (a, b) -> target.compareDistance(a.id(), b.id());
        int bt = bucketIndex(target);
        if (bt >= 0) {
            addSorted(out, buckets[bt], byDistance, n, keep);
            for (int i = bt - 1; i >= 0 && out.size() < n; i--) {
                if (count(i) > 0 && distanceBit(target, i)) {
                    addSorted(out, buckets[i], byDistance, n, keep);
                }
            }
            for (int i = 0; i < bt && out.size() < n; i++) {
                if (count(i) > 0 && !distanceBit(target, i)) {
                    addSorted(out, buckets[i], byDistance, n, keep);
                }
            }
        }
        for (int i = bt + 1; i < BUCKETS && out.size() < n; i++) {
            addSorted(out, buckets[i], byDistance, n, keep);
        }
        return out;
    }

    /** Bit {@code bucket} (counted from the least significant end, as bucket indexes are) of {@code self XOR target}. */
    private boolean distanceBit(NodeId target, int bucket) {
        int bit = BUCKETS - 1 - bucket;
        int x = (self.byteAt(bit >>> 3) ^ target.byteAt(bit >>> 3)) & 0xff;
        return (x & (0x80 >>> (bit & 7))) != 0;
    }

    /** Appends the bucket's contacts closest first, up to {@code n} in {@code out}. */
    private static void addSorted(List<Contact> out, Bucket b, java.util.Comparator<Contact> byDistance, int n,
                                  java.util.function.Predicate<Contact> keep) {
        int m = b == null ? 0 : b.entries.size();
        if (m == 0) {
            return;
        }
        if (m == 1) {
            Contact c = b.entries.get(0).contact;
            if (keep == null || keep.test(c)) {
                out.add(c);
            }
            return;
        }
        Contact[] tmp = new Contact[m];
        int kept = 0;
        for (int j = 0; j < m; j++) {
            Contact c = b.entries.get(j).contact;
            if (keep == null || keep.test(c)) {
                tmp[kept++] = c;
            }
        }
        m = kept;
        java.util.Arrays.sort(tmp, 0, m, byDistance);
        for (int j = 0; j < m && out.size() < n; j++) {
            out.add(tmp[j]);
        }
    }

    /**
     * Number of held contacts strictly closer to {@code target} than {@code id} (which need not be
     * held; it may be our own id); used to decide whether a node is among the k closest without
     * sorting. Walks the buckets in the distance order {@link #closest(NodeId, int)} uses: every
     * bucket before the one {@code id} falls in counts whole, only that bucket is compared contact
     * by contact. Our own id sits between the buckets below the target's whose distance bit is set
     * and those whose bit is clear. Cost: one pass over the bucket array plus at most k
     * comparisons, instead of one comparison per held contact (replication asks this for every
     * stored key each time a contact is inserted).
     */
    public int countCloser(NodeId target, NodeId id) {
        if (size == 0 || target.equals(id)) {
            return 0;
        }
        int bt = bucketIndex(target);
        int bi = bucketIndex(id);
        int n = 0;
        if (bt < 0) { // the target is our own id: buckets in ascending order
            for (int i = 0; i < bi; i++) {
                n += count(i);
            }
            return n + closerIn(bi, target, id);
        }
        if (bi == bt) {
            return closerIn(bt, target, id);
        }
        n += count(bt);
        for (int i = bt - 1; i >= 0; i--) {
            if ((i == bi || count(i) > 0) && distanceBit(target, i)) {
                if (i == bi) {
                    return n + closerIn(i, target, id);
                }
                n += count(i);
            }
        }
        if (bi < 0) {
            return n; // our own id
        }
        for (int i = 0; i < bt; i++) {
            if ((i == bi || count(i) > 0) && !distanceBit(target, i)) {
                if (i == bi) {
                    return n + closerIn(i, target, id);
                }
                n += count(i);
            }
        }
        for (int i = bt + 1; i < bi; i++) {
            n += count(i);
        }
        return n + closerIn(bi, target, id);
    }

    /**
     * True when no held contact other than {@code ignored} is strictly closer to {@code target}
     * than we are: only the target's own bucket and the buckets below it whose distance bit is set
     * can hold one, so this looks at their sizes, and at {@code ignored}'s bucket when it is one of
     * them.
     */
    public boolean selfClosest(NodeId target, NodeId ignored) {
        int bt = bucketIndex(target);
        if (bt < 0) {
            return true;
        }
        int bi = ignored == null ? -1 : bucketIndex(ignored);
        for (int i = bt; i >= 0; i--) {
            int n = count(i);
            if (n > 0 && (i == bt || distanceBit(target, i))) {
                if (n > (i == bi && buckets[i].indexOf(ignored) >= 0 ? 1 : 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Contacts held in the buckets nearer to us than the one {@code id} falls in: a lower bound,
     * whatever the target, of the contacts closer to it than {@code id} when {@code id} is not
     * closer to it than we are (see {@code KademliaNode.offerValuesTo}).
     */
    public int countInNearerBuckets(NodeId id) {
        int bi = bucketIndex(id);
        int n = 0;
        for (int i = 0; i < bi; i++) {
            n += count(i);
        }
        return n;
    }

    private int count(int bucket) {
        Bucket b = buckets[bucket];
        return b == null ? 0 : b.entries.size();
    }

    /** Contacts of one bucket strictly closer to {@code target} than {@code id}. */
    private int closerIn(int bucket, NodeId target, NodeId id) {
        Bucket b = buckets[bucket];
        if (b == null) {
            return 0;
        }
        int n = 0;
        for (Entry e : b.entries) {
            if (target.compareDistance(e.contact.id(), id) < 0) {
                n++;
            }
        }
        return n;
    }

    /** Marks the bucket {@code id} falls in as used now (a lookup went through its range). */
    public void touch(NodeId id, long now) {
        int index = bucketIndex(id);
        if (index >= 0) {
            bucketFor(index).lastTouched = now;
        }
    }

    /** Engine time bucket {@code index} was last touched. */
    public long lastTouched(int index) {
        Bucket b = buckets[index];
        return b == null ? createdAt : b.lastTouched;
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
            if (now - lastTouched(i) >= idleMillis) {
                out.add(i);
            }
        }
        return out;
    }

    /** Index of the nearest non-empty bucket, -1 when the table is empty. */
    public int nearestNonEmpty() {
        for (int i = 0; i < BUCKETS; i++) {
            if (!entries(i).isEmpty()) {
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
            if (b != null && (!b.entries.isEmpty() || b.replacementCount() > 0)) {
                out.add(new RoutingSnapshot.Bucket(i, bucket(i), b.replacementCount(), b.lastTouched));
            }
        }
        return new RoutingSnapshot(self, k, out);
    }
}
