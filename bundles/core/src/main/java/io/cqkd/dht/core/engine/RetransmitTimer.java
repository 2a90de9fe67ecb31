package io.cqkd.dht.core.engine;

/**
 * Round-trip estimate of one node's requests, after RFC 6298 (Jacobson/Karels): a smoothed RTT and
 * its mean deviation, fed by every answer, timed from the send it answers (each send has a
 * transaction id of its own, see KademliaNode's PendingRpc), and a retransmission timeout
 * {@code srtt + 4 * rttvar}. Before the first answer each resend waits twice as long as the one
 * before. While the rto is within the configured timeout (an idle network) the configured timeouts
 * apply unchanged, for every resend: a peer that does not answer then is most likely gone, and the
 * lookups and the fault scenarios rely on noticing that within the configured tries. When answers
 * slow down beyond it (a join storm on busy cores, where the RTT is queueing on the receiver's
 * event loop) a request waits the rto and every resend twice as long as the one before, so
 * retransmissions back off instead of multiplying the load that slowed them. Without it a
 * 10,000-node three-level join on two cores resent 954k requests, as many as it sent, and
 * collapsed (docs/benchmarks-history.md). It also keeps the base delay (the smallest RTT of the last one
 * to two {@link #BASE_WINDOW_MILLIS} windows, as LEDBAT does, RFC 6817) so that the smoothed RTT
 * above it, the queueing delay, tells when the network this node talks to is congested
 * ({@link #queueingDelayMillis}).
 * Engine-thread only.
 */
final class RetransmitTimer {
    /** Length of one window of the base-delay minimum; the base forgets samples older than two. */
    static final long BASE_WINDOW_MILLIS = 60_000;
    /** Upper bound of any wait, so a burst of slow answers cannot park requests for minutes. */
    static final long MAX_WAIT_MILLIS = 30_000;

    private double srtt = -1;
    private double rttvar;
    private long windowStart = Long.MIN_VALUE;
    private long windowMin = Long.MAX_VALUE;
    private long previousWindowMin = Long.MAX_VALUE;

    /** An answer to a request sent once arrived {@code rttMillis} after it was sent, at engine time {@code nowMillis}. */
    void sample(long rttMillis, long nowMillis) {
        long clamped = Math.max(0, rttMillis);
        if (windowStart == Long.MIN_VALUE) {
            windowStart = nowMillis;
        } else if (nowMillis - windowStart >= BASE_WINDOW_MILLIS) {
            // the window just ended becomes the previous one, unless a whole window passed without samples
            previousWindowMin = nowMillis - windowStart >= 2 * BASE_WINDOW_MILLIS ? Long.MAX_VALUE : windowMin;
            windowStart = nowMillis;
            windowMin = Long.MAX_VALUE;
        }
        windowMin = Math.min(windowMin, clamped);
        double r = clamped;
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
            srtt = 0.875 * srtt + 0.125 * r;
        }
    }

    /** The smoothed RTT, 0 before the first sample. */
    long srttMillis() {
        return srtt < 0 ? 0 : (long) srtt;
    }

    /** Smoothed RTT above the base delay (the queueing the answers met), 0 before the first sample. */
    long queueingDelayMillis() {
        if (srtt < 0) {
            return 0;
        }
        long base = Math.min(windowMin, previousWindowMin);
        return Math.max(0, (long) srtt - base);
    }

    /** The retransmission timeout, 0 before the first sample. */
    long rtoMillis() {
        return srtt < 0 ? 0 : (long) Math.ceil(srtt + 4 * rttvar);
    }

    /** How long to wait for the answer to the {@code retransmissions}-th resend (0 = first send). */
    long waitMillis(long configuredMillis, int retransmissions) {
        if (srtt < 0) {
            // nothing answered yet (a node's first requests): nothing tells a slow network from a
            // gone peer, so each resend waits twice as long as the one before (RFC 6298, 5.5)
            return Math.min(MAX_WAIT_MILLIS, configuredMillis << Math.min(retransmissions, 6));
        }
        long rto = rtoMillis();
        if (rto <= configuredMillis) {
            return configuredMillis;
        }
        return Math.min(MAX_WAIT_MILLIS, rto << Math.min(retransmissions, 6));
    }
}
