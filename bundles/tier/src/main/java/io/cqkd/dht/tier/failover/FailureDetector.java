package io.cqkd.dht.tier.failover;

import io.cqkd.dht.api.failover.DetectorContext;
import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.api.failover.WatchState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * One observer's failure detector over the nodes it watches (a parent's children, a child's
 * parent, a client's bootstrap node). Sans-I/O: it says which probes to send and when to wake it
 * up; the caller sends them and reports every message it receives from a watched node.
 *
 * <p>Per watched node, with the {@link DetectorSettings}:
 * <ul>
 *   <li>a probe every {@code probePeriodMillis}, at most one outstanding (the timeout never
 *       exceeds the period); the first probe is due as soon as the node is watched, or one period
 *       later when the watch begins with a message from the node ({@link #watch(String, boolean)});</li>
 *   <li>a probe unanswered for {@code probeTimeoutMillis} is missed; the first miss makes an
 *       ALIVE node SUSPECTED (at the probe's deadline);</li>
 *   <li>a SUSPECTED node becomes FAILED once it has been suspected for {@code suspicionMillis}
 *       <em>and</em> at least {@code minMissedProbes} probes were missed; probes go on meanwhile;</li>
 *   <li>any message from the node ({@link #heard(String)}: a probe answer, even a late one, a
 *       load report, a join) resets the misses and makes it ALIVE; from FAILED that is a
 *       recovery ({@link Transition#recovered()}): the node rejoins its place;</li>
 *   <li>FAILED nodes keep being probed, at the same period, so that recovery is noticed.</li>
 * </ul>
 * So one lost packet only gives a short SUSPECTED phase, and a pause shorter than
 * {@code probeTimeoutMillis + suspicionMillis} minus one period (with the defaults, 5 s) is never
 * declared a failure. A node that stops answering for good is FAILED between
 * {@code timeout + suspicion} and {@code period + timeout + suspicion} after its last answer
 * (6-7 s by default).
 *
 * <p>Time comes only from the injected clock (the engine's monotonic milliseconds). Late calls
 * are safe: {@link #poll()} processes every deadline that passed, in order, and never sends a
 * burst of catch-up probes. Bounded: at most {@link #MAX_WATCHED} nodes. Confined to one thread.
 */
public final class FailureDetector {
    /** Most nodes one observer watches. */
    public static final int MAX_WATCHED = 4_096;

    /**
     * A probe to send now (a PING, or any request the node must answer).
     *
     * @param node           the watched node
     * @param sentMillis     now
     * @param deadlineMillis when it counts as missed
     */
    public record Probe(String node, long sentMillis, long deadlineMillis) {
    }

    /**
     * A change of a watched node's state.
     *
     * @param node         the node
     * @param from         state before
     * @param to           state after
     * @param atMillis     when (a deadline for SUSPECTED and FAILED, the receipt time for ALIVE)
     * @param missedProbes missed probes at that moment (0 for ALIVE)
     */
    public record Transition(String node, WatchState from, WatchState to, long atMillis, int missedProbes) {
        /** True for FAILED to ALIVE: the node came back. */
        public boolean recovered() {
            return from == WatchState.FAILED && to == WatchState.ALIVE;
        }

        /** True for a transition to FAILED: failover must be decided. */
        public boolean failed() {
            return to == WatchState.FAILED;
        }
    }

    /**
     * What {@link #poll()} found.
     *
     * @param transitions    state changes since the last poll, in time order
     * @param probes         probes to send now
     * @param nextWakeMillis when to poll again at the latest (a probe or a deadline is due then);
     *                       {@link Long#MAX_VALUE} when nothing is watched
     */
    public record Poll(List<Transition> transitions, List<Probe> probes, long nextWakeMillis) {
        /** Copies. */
        public Poll {
            transitions = List.copyOf(transitions);
            probes = List.copyOf(probes);
        }
    }

    /**
     * A watched node as the detector sees it.
     *
     * @param node              the node
     * @param state             its state
     * @param sinceMillis       when it entered the state
     * @param lastHeardMillis   when it was last heard from, -1 never
     * @param missedProbes      probes missed since then
     * @param suspectedAtMillis when it became SUSPECTED (-1 when ALIVE)
     * @param failedAtMillis    when it became FAILED (-1 unless FAILED)
     */
    public record Watch(String node, WatchState state, long sinceMillis, long lastHeardMillis, int missedProbes,
                        long suspectedAtMillis, long failedAtMillis) {
    }

    private static final class Entry {
        WatchState state = WatchState.ALIVE;
        long since;
        long lastHeard = -1;
        long nextProbe;
        long outstandingDeadline = -1;
        int missed;
        long suspectedAt = -1;
        long failedAt = -1;
    }

    private final LongSupplier clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private DetectorSettings settings;

    /**
     * @param settings probe period, timeout, suspicion, misses
     * @param clock    monotonic milliseconds (the engine's {@code nowMillis})
     */
    public FailureDetector(DetectorSettings settings, LongSupplier clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The settings in use. */
    public DetectorSettings settings() {
        return settings;
    }

    /**
     * Uses new settings from now on. States and misses are kept; a probe already scheduled keeps
     * its time, later ones follow the new period; suspicion is measured with the new length.
     */
    public void reconfigure(DetectorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Starts watching {@code node} as ALIVE, with a probe due at once. Watching a node already
     * watched changes nothing.
     *
     * @return false when {@link #MAX_WATCHED} nodes are already watched
     */
    public boolean watch(String node) {
        return watch(node, false);
    }

    /**
     * Starts watching {@code node} as ALIVE. With {@code heardNow} its message that led to the
     * watch (a client's admitted JOIN) counts as heard: the first probe is due one period later,
     * not at once, which is still within the bounds of the class comment. Watching a node already
     * watched changes nothing.
     *
     * @return false when {@link #MAX_WATCHED} nodes are already watched
     */
    public boolean watch(String node, boolean heardNow) {
        Objects.requireNonNull(node, "node");
        if (entries.containsKey(node)) {
            return true;
        }
        if (entries.size() >= MAX_WATCHED) {
            return false;
        }
        Entry e = new Entry();
        long now = clock.getAsLong();
        e.since = now;
        e.nextProbe = now;
        if (heardNow) {
            e.lastHeard = now;
            e.nextProbe = now + settings.probePeriodMillis();
        }
        entries.put(node, e);
        return true;
    }

    /** Stops watching {@code node}; false when it was not watched. */
    public boolean unwatch(String node) {
        return entries.remove(node) != null;
    }

    /** True when {@code node} is watched. */
    public boolean isWatched(String node) {
        return entries.containsKey(node);
    }

    /**
     * A message from {@code node} arrived now: it is alive. Resets the misses and cancels the
     * outstanding probe.
     *
     * @return the transition when it was SUSPECTED or FAILED; empty when it was ALIVE or is not
     *         watched
     */
    public Optional<Transition> heard(String node) {
        Entry e = entries.get(node);
        if (e == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        e.lastHeard = now;
        e.outstandingDeadline = -1;
        e.missed = 0;
        if (e.state == WatchState.ALIVE) {
            return Optional.empty();
        }
        WatchState from = e.state;
        e.state = WatchState.ALIVE;
        e.since = now;
        e.suspectedAt = -1;
        e.failedAt = -1;
        return Optional.of(new Transition(node, from, WatchState.ALIVE, now, 0));
    }

    /**
     * Processes every deadline up to now (missed probes, suspicion ends), then returns the probes
     * due now. Call it at {@link Poll#nextWakeMillis()} and whenever convenient (e.g. after
     * {@link #heard}); extra calls do no harm.
     */
    public Poll poll() {
        long now = clock.getAsLong();
        DetectorSettings s = settings;
        List<Transition> transitions = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            String node = me.getKey();
            Entry e = me.getValue();
            if (e.outstandingDeadline >= 0 && now >= e.outstandingDeadline) {
                long deadline = e.outstandingDeadline;
                e.outstandingDeadline = -1;
                e.missed++;
                if (e.state == WatchState.ALIVE) {
                    e.state = WatchState.SUSPECTED;
                    e.since = deadline;
                    e.suspectedAt = deadline;
                    transitions.add(new Transition(node, WatchState.ALIVE, WatchState.SUSPECTED, deadline, e.missed));
                }
            }
            if (e.state == WatchState.SUSPECTED && now >= e.suspectedAt + s.suspicionMillis()
                    && e.missed >= s.minMissedProbes()) {
                e.state = WatchState.FAILED;
                e.since = now;
                e.failedAt = now;
                transitions.add(new Transition(node, WatchState.SUSPECTED, WatchState.FAILED, now, e.missed));
            }
            if (now >= e.nextProbe && e.outstandingDeadline < 0) {
                e.outstandingDeadline = now + s.probeTimeoutMillis();
                e.nextProbe = now + s.probePeriodMillis();
                probes.add(new Probe(node, now, e.outstandingDeadline));
            }
            next = Math.min(next, e.nextProbe);
            if (e.outstandingDeadline >= 0) {
                next = Math.min(next, e.outstandingDeadline);
            }
            long suspicionEnd = e.suspectedAt + s.suspicionMillis();
            if (e.state == WatchState.SUSPECTED && suspicionEnd > now) {
                // once it has passed, only a further miss (a probe deadline, already counted) can fail the node
                next = Math.min(next, suspicionEnd);
            }
        }
        transitions.sort(java.util.Comparator.comparingLong(Transition::atMillis));
        return new Poll(transitions, probes, next);
    }

    /** The state of {@code node}; empty when it is not watched. */
    public Optional<WatchState> state(String node) {
        Entry e = entries.get(node);
        return e == null ? Optional.empty() : Optional.of(e.state);
    }

    /** The node as the detector sees it; empty when it is not watched. */
    public Optional<Watch> watchOf(String node) {
        Entry e = entries.get(node);
        return e == null ? Optional.empty() : Optional.of(toWatch(node, e));
    }

    /** Every watched node, in watch order. */
    public List<Watch> snapshot() {
        List<Watch> out = new ArrayList<>(entries.size());
        entries.forEach((n, e) -> out.add(toWatch(n, e)));
        return out;
    }

    /** Watched nodes that are SUSPECTED or FAILED, sorted: what a policy must not pick. */
    public Set<String> unavailable() {
        Set<String> out = new TreeSet<>();
        entries.forEach((n, e) -> {
            if (e.state != WatchState.ALIVE) {
                out.add(n);
            }
        });
        return out;
    }

    /** The detector's context for a policy, for a watched node. */
    public Optional<DetectorContext> context(String node) {
        Entry e = entries.get(node);
        return e == null ? Optional.empty()
                : Optional.of(new DetectorContext(e.lastHeard, e.suspectedAt, e.failedAt, e.missed));
    }

    /** Number of watched nodes. */
    public int size() {
        return entries.size();
    }

    private static Watch toWatch(String node, Entry e) {
        return new Watch(node, e.state, e.since, e.lastHeard, e.missed, e.suspectedAt, e.failedAt);
    }
}
