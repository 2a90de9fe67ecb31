package io.cqkd.dht.tier.model;

import io.cqkd.dht.api.NodeId;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bootstrap node's admitted peer sessions: the seed's "connections" on UDP. A session starts
 * with a join exchange ({@link #tryAdmit}), is kept alive by renewals ({@link #renew}) and ends
 * when the peer leaves ({@link #leave}) or its lease lapses ({@link #expire}).
 *
 * <p>Invariant: the number of sessions never exceeds {@link #capacity()}; a full table admits
 * nobody new (an existing session may still renew). Lowering the capacity below the current
 * count keeps the existing sessions and admits nobody until the count drops below it.
 *
 * <p>Sessions are kept in lease order (a renewal moves the session to the end), so expiry costs
 * only the expired sessions; this relies on one lease length per table and a monotonic clock.
 * The connection history keeps the last {@code historyLimit} events. Confined to one thread.
 */
public final class SessionTable {
    /** Default lease: a peer that does not renew within this time loses its session. */
    public static final long DEFAULT_LEASE_MILLIS = 90_000;
    /** Default number of history events kept. */
    public static final int DEFAULT_HISTORY_LIMIT = 1_000;

    /**
     * An admitted session.
     *
     * @param peer           the peer's id
     * @param address        the peer's UDP address
     * @param admittedMillis when it was admitted
     * @param expiresMillis  when it lapses unless renewed
     */
    public record Session(NodeId peer, InetSocketAddress address, long admittedMillis, long expiresMillis) {
    }

    private final long leaseMillis;
    private final int historyLimit;
    private final LinkedHashMap<NodeId, Session> sessions = new LinkedHashMap<>();
    private final ArrayDeque<ConnectionEvent> history = new ArrayDeque<>();
    private int capacity;
    private int peak;
    private long admitted;
    private long refusedFull;
    private long left;
    private long expired;

    /**
     * @param capacity     most concurrent sessions, &gt;= 0
     * @param leaseMillis  lease length, &gt; 0
     * @param historyLimit history events kept, &gt; 0
     */
    public SessionTable(int capacity, long leaseMillis, int historyLimit) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("lease must be > 0 ms, got " + leaseMillis);
        }
        if (historyLimit <= 0) {
            throw new IllegalArgumentException("history limit must be > 0, got " + historyLimit);
        }
        this.capacity = capacity;
        this.leaseMillis = leaseMillis;
        this.historyLimit = historyLimit;
    }

    /** With the default lease and history limit. */
    public SessionTable(int capacity) {
        this(capacity, DEFAULT_LEASE_MILLIS, DEFAULT_HISTORY_LIMIT);
    }

    /**
     * Admits {@code peer} or renews its session. Lapsed sessions are expired first.
     *
     * @return the session (new, or the existing one with a fresh lease); empty when the table is
     *         full and the peer has no session
     */
    public Optional<Session> tryAdmit(NodeId peer, InetSocketAddress address, long nowMillis) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(address, "address");
        expire(nowMillis);
        Session existing = sessions.remove(peer);
        if (existing != null) {
            Session renewed = new Session(peer, address, existing.admittedMillis(), nowMillis + leaseMillis);
            sessions.put(peer, renewed);
            return Optional.of(renewed);
        }
        if (sessions.size() >= capacity) {
            refusedFull++;
            return Optional.empty();
        }
        Session s = new Session(peer, address, nowMillis, nowMillis + leaseMillis);
        sessions.put(peer, s);
        admitted++;
        peak = Math.max(peak, sessions.size());
        record(new ConnectionEvent(nowMillis, ConnectionEvent.Kind.CONNECT, ConnectionEvent.Reason.JOINED, peer,
                address));
        return Optional.of(s);
    }

    /** Extends a live session's lease; false when the peer has none (it must join again). */
    public boolean renew(NodeId peer, long nowMillis) {
        expire(nowMillis);
        Session s = sessions.remove(peer);
        if (s == null) {
            return false;
        }
        sessions.put(peer, new Session(peer, s.address(), s.admittedMillis(), nowMillis + leaseMillis));
        return true;
    }

    /** Ends the peer's session; false when it had none. */
    public boolean leave(NodeId peer, long nowMillis) {
        Session s = sessions.remove(peer);
        if (s == null) {
            return false;
        }
        left++;
        record(new ConnectionEvent(nowMillis, ConnectionEvent.Kind.DISCONNECT, ConnectionEvent.Reason.LEFT, peer,
                s.address()));
        return true;
    }

    /** Ends every session whose lease ended at or before {@code nowMillis}; returns them. */
    public List<Session> expire(long nowMillis) {
        List<Session> out = List.of();
        Iterator<Session> it = sessions.values().iterator();
        while (it.hasNext()) {
            Session s = it.next();
            if (s.expiresMillis() > nowMillis) {
                break;
            }
            it.remove();
            if (out.isEmpty()) {
                out = new ArrayList<>();
            }
            out.add(s);
            expired++;
            record(new ConnectionEvent(nowMillis, ConnectionEvent.Kind.DISCONNECT,
                    ConnectionEvent.Reason.LEASE_EXPIRED, s.peer(), s.address()));
        }
        return out;
    }

    /** Live sessions at {@code nowMillis} (expires lapsed ones first). */
    public int active(long nowMillis) {
        expire(nowMillis);
        return sessions.size();
    }

    /** True when a new peer would not be admitted at {@code nowMillis}. */
    public boolean isFull(long nowMillis) {
        return active(nowMillis) >= capacity;
    }

    /** The peer's live session. */
    public Optional<Session> session(NodeId peer, long nowMillis) {
        expire(nowMillis);
        return Optional.ofNullable(sessions.get(peer));
    }

    /** Live sessions in lease order (soonest to lapse first). */
    public List<Session> sessions(long nowMillis) {
        expire(nowMillis);
        return List.copyOf(sessions.values());
    }

    /** Most concurrent sessions. */
    public int capacity() {
        return capacity;
    }

    /** Changes the capacity (failover doubles a promoted backup's); existing sessions are kept. */
    public void setCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Lease length. */
    public long leaseMillis() {
        return leaseMillis;
    }

    /** Highest number of concurrent sessions seen. */
    public int peak() {
        return peak;
    }

    /** The connection history, oldest first, at most {@code historyLimit} events. */
    public List<ConnectionEvent> history() {
        return List.copyOf(history);
    }

    /** Counters: admitted, refused_full, left, expired. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("admitted", admitted);
        m.put("refused_full", refusedFull);
        m.put("left", left);
        m.put("expired", expired);
        return m;
    }

    private void record(ConnectionEvent e) {
        if (history.size() == historyLimit) {
            history.removeFirst();
        }
        history.addLast(e);
    }
}
