package io.cqkd.dht.core.engine;

import io.cqkd.dht.api.Contact;
import io.cqkd.dht.api.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The state machine of one iterative lookup, without I/O (after rust-libp2p
 * {@code ClosestPeersIter}). The caller asks {@link #next(long)} which peers to query, sends the
 * requests, and reports back with {@link #onSuccess}, {@link #onFailure} or {@link #onValue}.
 *
 * <p>Candidates are kept sorted by XOR distance to the target. Each is
 * {@link PeerState#NOT_CONTACTED}, {@link PeerState#WAITING} (until a per-peer deadline),
 * {@link PeerState#SUCCEEDED}, {@link PeerState#UNRESPONSIVE} (its deadline passed: it no longer
 * counts toward alpha, but a late answer is still used) or {@link PeerState#FAILED}. At most
 * alpha peers are WAITING at once, so a slow peer delays the lookup by one peer timeout at most.
 * Once alpha answers in a row brought no candidate closer than the closest known (the lookup
 * has <em>stalled</em>, as the paper and rust-libp2p call it), the remaining uncontacted peers
 * among the k closest are queried all at once instead of alpha at a time: the last round of a
 * lookup costs one round trip instead of about k/alpha.
 *
 * <p>The lookup is finished when, walking candidates closest first, k peers have succeeded
 * before any peer that is still waiting, unresponsive (its request may still be answered: the
 * caller reports {@link #onFailure} once it gives up) or not yet contacted; or when nothing is
 * waiting and nothing is left to contact; or at the overall deadline. So a slow peer never holds
 * up the queries (it stops counting toward alpha after the peer timeout) and delays the end only
 * when it is among the k closest. In value mode ({@link #onValue}) it
 * stops contacting new peers at the first value and finishes once the requests already in flight
 * have answered or gone unresponsive, so the caller can pick the newest version among them.
 *
 * <p>A lookup may have <em>guides</em>: candidates that are queried as any other, for the
 * contacts they name, but are never a result. They count neither toward the k that finish the
 * lookup nor toward the k closest that a stalled lookup queries at once, and waiting for one never
 * holds up the end. A bootstrap node that knows too few workers looks data up through the other
 * bootstrap nodes this way: they name workers, and only workers store values. A worker's self
 * lookups (join, partition heal) follow bootstrap nodes the same way: each answer of a bootstrap
 * node names one more, so the join meets the workers known behind two or more of them.
 */
public final class Lookup {
    /** State of one candidate. */
    public enum PeerState { NOT_CONTACTED, WAITING, SUCCEEDED, UNRESPONSIVE, FAILED }

    private static final class Candidate {
        final Contact contact;
        PeerState state = PeerState.NOT_CONTACTED;
        long deadline;
        final int depth;
        final boolean guide;
        boolean hadValue;

        Candidate(Contact contact, int depth, boolean guide) {
            this.contact = contact;
            this.depth = depth;
            this.guide = guide;
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    private final long peerTimeoutMillis;
    private final int maxPeers;
    private final long deadline;
    private final Predicate<Contact> guide;
    private final ArrayList<Candidate> peers = new ArrayList<>();
    private final Map<NodeId, Candidate> byId = new HashMap<>();
    private int waiting;
    private int unresponsive;
    private int queried;
    /** Answers (or failures) in a row that brought no candidate closer than the closest known. */
    private int noProgress;
    private boolean finished;
    private boolean valueFound;

    /**
     * A new lookup.
     *
     * @param target            the id looked up
     * @param self              our id, never a candidate
     * @param k                 results wanted
     * @param alpha             requests in flight at most
     * @param peerTimeoutMillis time after which a waiting peer becomes unresponsive
     * @param maxPeers          candidates kept at most (the farthest uncontacted are dropped)
     * @param now               engine time now
     * @param timeoutMillis     overall bound
     * @param seeds             initial candidates (from the routing table)
     */
    public Lookup(NodeId target, NodeId self, int k, int alpha, long peerTimeoutMillis, int maxPeers, long now,
                  long timeoutMillis, Collection<Contact> seeds) {
        this(target, self, k, alpha, peerTimeoutMillis, maxPeers, now, timeoutMillis, seeds, c -> false);
    }

    /**
     * A new lookup in which the candidates that {@code guide} accepts are guides (see the class
     * comment), the other parameters as above.
     */
    public Lookup(NodeId target, NodeId self, int k, int alpha, long peerTimeoutMillis, int maxPeers, long now,
                  long timeoutMillis, Collection<Contact> seeds, Predicate<Contact> guide) {
        this.guide = guide;
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.peerTimeoutMillis = peerTimeoutMillis;
        this.maxPeers = Math.max(k, maxPeers);
        this.deadline = now + timeoutMillis;
        for (Contact c : seeds) {
            add(c, 0);
        }
    }

    /** Time after which a waiting peer becomes unresponsive. */
    public long peerTimeoutMillis() {
        return peerTimeoutMillis;
    }

    /** The target. */
    public NodeId target() {
        return target;
    }

    private void add(Contact c, int depth) {
        if (c.id().equals(self) || byId.containsKey(c.id())) {
            return;
        }
        int lo = 0;
        int hi = peers.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (target.compareDistance(peers.get(mid).contact.id(), c.id()) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (peers.size() >= maxPeers) {
            // Make room by dropping the farthest candidate not yet contacted, if it is farther.
            int last = -1;
            for (int i = peers.size() - 1; i >= lo; i--) {
                if (peers.get(i).state == PeerState.NOT_CONTACTED) {
                    last = i;
                    break;
                }
            }
            if (last < 0) {
                return;
            }
            byId.remove(peers.remove(last).contact.id());
        }
        Candidate cand = new Candidate(c, depth, guide.test(c));
        peers.add(lo, cand);
        byId.put(c.id(), cand);
    }

    /**
     * Advances the state machine at engine time {@code now}: waiting peers past their deadline
     * become unresponsive, and the peers to query now are returned (already marked WAITING).
     * Empty when nothing is to be sent; check {@link #isFinished()}.
     */
    public List<Contact> next(long now) {
        List<Contact> send = new ArrayList<>(alpha);
        if (finished) {
            return send;
        }
        if (now >= deadline) {
            finished = true;
            return send;
        }
        int succeeded = 0;
        boolean counting = true;
        boolean stalled = noProgress >= alpha;
        int parallelism = stalled ? Math.max(alpha, k) : alpha;
        int rank = 0;
        for (Candidate p : peers) {
            if (p.state != PeerState.FAILED && !p.guide) {
                rank++;
            }
            switch (p.state) {
                case WAITING -> {
                    if (now >= p.deadline) {
                        p.state = PeerState.UNRESPONSIVE;
                        waiting--;
                        unresponsive++;
                    }
                    counting &= p.guide;
                }
                case UNRESPONSIVE -> counting &= p.guide; // not given up on yet: a late answer may come
                case SUCCEEDED -> {
                    if (counting && !valueFound && !p.guide && ++succeeded >= k) {
                        finished = true;
                        return send;
                    }
                }
                case NOT_CONTACTED -> {
                    if (!valueFound && waiting < parallelism && (!stalled || rank <= k)) {
                        p.state = PeerState.WAITING;
                        p.deadline = now + peerTimeoutMillis;
                        waiting++;
                        queried++;
                        send.add(p.contact);
                    }
                    counting &= p.guide;
                }
                default -> {
                }
            }
        }
        if (waiting == 0 && (unresponsive == 0 || valueFound) && send.isEmpty()) {
            finished = true;
        }
        return send;
    }

    /** {@code peer} answered with contacts closer to the target (possibly none). */
    public void onSuccess(NodeId peer, Collection<Contact> closer) {
        Candidate p = byId.get(peer);
        if (p == null || finished) {
            return;
        }
        if (p.state == PeerState.WAITING) {
            waiting--;
        } else if (p.state == PeerState.UNRESPONSIVE) {
            unresponsive--;
        } else {
            return;
        }
        p.state = PeerState.SUCCEEDED;
        Candidate closestBefore = peers.get(0);
        for (Contact c : closer) {
            add(c, p.depth + 1);
        }
        noProgress = peers.get(0) == closestBefore ? noProgress + 1 : 0;
    }

    /**
     * {@code peer} already answered a query for this target before the lookup started (the join
     * asks its bootstrap nodes directly): it counts as SUCCEEDED without being queried again, and
     * {@code closer} become candidates. Must be called before the first {@link #next}.
     */
    public void answeredBefore(Contact peer, Collection<Contact> closer) {
        add(peer, 0);
        Candidate p = byId.get(peer.id());
        if (p == null || p.state != PeerState.NOT_CONTACTED || finished) {
            return;
        }
        p.state = PeerState.SUCCEEDED;
        queried++;
        for (Contact c : closer) {
            add(c, 1);
        }
    }

    /** {@code peer} answered with a value: no new peer is contacted from now on. */
    public void onValue(NodeId peer) {
        Candidate p = byId.get(peer);
        if (p == null || finished) {
            return;
        }
        onSuccess(peer, List.of());
        p.hadValue = true;
        valueFound = true;
    }

    /** {@code peer} failed (timed out after retries, or refused). */
    public void onFailure(NodeId peer) {
        Candidate p = byId.get(peer);
        if (p == null || finished) {
            return;
        }
        if (p.state == PeerState.WAITING) {
            waiting--;
            p.state = PeerState.FAILED;
            noProgress++;
        } else if (p.state == PeerState.UNRESPONSIVE) {
            unresponsive--;
            p.state = PeerState.FAILED;
        }
    }

    /** Ends the lookup now (stop, overload). */
    public void finish() {
        finished = true;
    }

    /** True when finished; {@link #next} then returns nothing. */
    public boolean isFinished() {
        return finished;
    }

    /** True once a peer returned a value. */
    public boolean valueFound() {
        return valueFound;
    }

    /** State of a candidate, or null when unknown. */
    public PeerState state(NodeId peer) {
        Candidate p = byId.get(peer);
        return p == null ? null : p.state;
    }

    /** Peers waiting for an answer (UNRESPONSIVE ones excluded). */
    public int waiting() {
        return waiting;
    }

    /** Peers past their deadline whose request has not been given up yet. */
    public int unresponsive() {
        return unresponsive;
    }

    /** Requests sent. */
    public int queried() {
        return queried;
    }

    /**
     * Peers that failed or never answered; guides not counted (a silent guide hides no result:
     * a join that met one does not need the second self lookup a silent neighbour calls for).
     */
    public int failed() {
        int n = 0;
        for (Candidate p : peers) {
            if (!p.guide && (p.state == PeerState.FAILED || p.state == PeerState.UNRESPONSIVE)) {
                n++;
            }
        }
        return n;
    }

    /** Longest referral chain among the peers that answered (a peer from the routing table is 1 hop). */
    public int hops() {
        int h = 0;
        for (Candidate p : peers) {
            if (p.state == PeerState.SUCCEEDED) {
                h = Math.max(h, p.depth + 1);
            }
        }
        return h;
    }

    /** Guides that answered. */
    public int guidesSucceeded() {
        int n = 0;
        for (Candidate p : peers) {
            if (p.state == PeerState.SUCCEEDED && p.guide) {
                n++;
            }
        }
        return n;
    }

    /** Up to k peers that answered, closest first; guides never. */
    public List<Contact> closestSucceeded() {
        List<Contact> out = new ArrayList<>(k);
        for (Candidate p : peers) {
            if (p.state == PeerState.SUCCEEDED && !p.guide) {
                out.add(p.contact);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Where a get stores the value it found: the closest peer that answered without it and is
     * closer to the target than a peer that had it (a copy missing inside the holders' range), or
     * null; guides never. Not the paper's "closest peer without the value" wherever it is: that is
     * usually a hop farther out than every holder, outside the k closest a later delete writes its
     * tombstone to, so the copy served the deleted value to the next get that met it.
     */
    public Contact repairTarget() {
        Contact missing = null;
        for (Candidate p : peers) {
            if (p.hadValue) {
                if (missing != null) {
                    return missing; // a holder farther out than the peer without it
                }
            } else if (missing == null && p.state == PeerState.SUCCEEDED && !p.guide) {
                missing = p.contact;
            }
        }
        return null;
    }
}
