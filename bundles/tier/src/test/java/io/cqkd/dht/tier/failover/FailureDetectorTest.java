package io.cqkd.dht.tier.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.api.failover.DetectorContext;
import io.cqkd.dht.api.failover.DetectorSettings;
import io.cqkd.dht.api.failover.WatchState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class FailureDetectorTest {
    /** A manual clock and a node that answers every probe at once unless {@code silent} says so at send time. */
    static final class Harness {
        long now;
        final FailureDetector detector;
        final List<FailureDetector.Transition> transitions = new ArrayList<>();
        int probesSent;

        Harness(DetectorSettings settings) {
            detector = new FailureDetector(settings, () -> now);
        }

        /** Runs to {@code until} in 10 ms steps; the node answers probes sent while {@code silent} is false. */
        void run(long until, LongPredicate silent) {
            while (now < until) {
                now += 10;
                FailureDetector.Poll p = detector.poll();
                transitions.addAll(p.transitions());
                for (FailureDetector.Probe probe : p.probes()) {
                    probesSent++;
                    if (!silent.test(probe.sentMillis())) {
                        detector.heard(probe.node()).ifPresent(transitions::add);
                    }
                }
            }
        }

        boolean everFailed() {
            return transitions.stream().anyMatch(FailureDetector.Transition::failed);
        }
    }

    private static Harness watching(DetectorSettings s) {
        Harness h = new Harness(s);
        assertTrue(h.detector.watch("lb-001"));
        return h;
    }

    @Test
    void aHealthyNodeStaysAliveAndIsProbedOncePerPeriod() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        h.run(60_000, t -> false);
        assertTrue(h.transitions.isEmpty());
        assertEquals(WatchState.ALIVE, h.detector.state("lb-001").orElseThrow());
        assertEquals(60, h.probesSent, "one probe per second over 60 s");
    }

    @Test
    void oneLostProbeGivesAShortSuspicionAndNoFailure() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        h.run(10_000, t -> false);
        // the probe sent at 10 s is lost; every other probe is answered
        h.run(60_000, t -> t == 10_010);
        assertFalse(h.everFailed());
        assertEquals(List.of(WatchState.SUSPECTED, WatchState.ALIVE),
                h.transitions.stream().map(FailureDetector.Transition::to).toList());
        assertEquals(WatchState.ALIVE, h.detector.state("lb-001").orElseThrow());
    }

    @Test
    void everyThirdProbeLostNeverFails() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        int[] n = {0};
        h.run(120_000, t -> n[0]++ % 3 == 0);
        assertFalse(h.everFailed());
    }

    @Test
    void aThreeSecondPauseIsNotAFailureWithTheDefaults() {
        // pauses starting at every phase of the probe period; answers to probes sent during the pause are lost
        for (long start = 10_000; start < 11_000; start += 50) {
            long s = start;
            Harness h = watching(DetectorSettings.DEFAULTS);
            h.run(60_000, t -> t >= s && t < s + 3_000);
            assertFalse(h.everFailed(), "pause from " + s);
            assertTrue(h.transitions.stream().anyMatch(t -> t.to() == WatchState.SUSPECTED), "pause from " + s);
            assertEquals(WatchState.ALIVE, h.detector.state("lb-001").orElseThrow());
        }
    }

    @Test
    void aPausedNodeAnsweringItsQueuedProbesLateIsAlive() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        h.run(10_000, t -> false);
        h.run(13_000, t -> true); // paused: nothing answered
        assertEquals(WatchState.SUSPECTED, h.detector.state("lb-001").orElseThrow());
        // resumes and reads its socket: the late answer to a queued probe counts
        h.detector.heard("lb-001").ifPresent(h.transitions::add);
        assertEquals(WatchState.ALIVE, h.detector.state("lb-001").orElseThrow());
        h.run(60_000, t -> false);
        assertFalse(h.everFailed());
    }

    @Test
    void aDeadNodeFailsAfterTimeoutPlusSuspicionAndNotBefore() {
        DetectorSettings d = DetectorSettings.DEFAULTS;
        Harness h = watching(d);
        long death = 10_500;
        h.run(60_000, t -> t >= death);
        FailureDetector.Transition failed = h.transitions.stream().filter(FailureDetector.Transition::failed)
                .findFirst().orElseThrow();
        long after = failed.atMillis() - death;
        assertTrue(after >= d.probeTimeoutMillis() + d.suspicionMillis(), "failed after " + after + " ms");
        assertTrue(after <= d.probePeriodMillis() + d.probeTimeoutMillis() + d.suspicionMillis() + 20,
                "failed after " + after + " ms");
        assertTrue(failed.missedProbes() >= d.minMissedProbes());
        assertEquals(1, h.transitions.stream().filter(FailureDetector.Transition::failed).count(), "declared once");
        DetectorContext c = h.detector.context("lb-001").orElseThrow();
        assertEquals(failed.atMillis(), c.failedAtMillis());
        assertTrue(c.lastHeardMillis() < death && c.suspectedAtMillis() > death);
        assertEquals(java.util.Set.of("lb-001"), h.detector.unavailable());
    }

    @Test
    void aWatchThatBeginsWithAMessageProbesOnePeriodLaterAndStillFailsADeadNodeInTime() {
        DetectorSettings d = DetectorSettings.DEFAULTS;
        Harness h = new Harness(d);
        h.now = 5_000;
        assertTrue(h.detector.watch("lb-001", true));
        assertEquals(5_000, h.detector.watchOf("lb-001").orElseThrow().lastHeardMillis());
        h.run(5_000 + d.probePeriodMillis() - 10, t -> false);
        assertEquals(0, h.probesSent, "no probe while the message that began the watch is fresh");
        h.run(5_000 + d.probePeriodMillis(), t -> false);
        assertEquals(1, h.probesSent);

        Harness dead = new Harness(d); // dead right after the message that began the watch
        dead.now = 5_000;
        assertTrue(dead.detector.watch("lb-001", true));
        dead.run(60_000, t -> true);
        long after = dead.transitions.stream().filter(FailureDetector.Transition::failed).findFirst()
                .orElseThrow().atMillis() - 5_000;
        assertTrue(after <= d.probePeriodMillis() + d.probeTimeoutMillis() + d.suspicionMillis() + 20,
                "failed after " + after + " ms");
    }

    @Test
    void aFailedNodeThatAnswersAgainRecoversAndIsStillProbed() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        h.run(30_000, t -> t >= 10_000 && t < 25_000);
        List<WatchState> states = h.transitions.stream().map(FailureDetector.Transition::to).toList();
        assertEquals(List.of(WatchState.SUSPECTED, WatchState.FAILED, WatchState.ALIVE), states);
        assertTrue(h.transitions.get(2).recovered());
        assertEquals(WatchState.ALIVE, h.detector.state("lb-001").orElseThrow());
        assertEquals(0, h.detector.watchOf("lb-001").orElseThrow().missedProbes());
        assertTrue(h.detector.unavailable().isEmpty());
    }

    @Test
    void failureNeedsTheMinimumOfMissedProbesEvenAfterTheSuspicion() {
        // suspicion of one period: after it, only 2 probes missed; the third miss declares failure
        DetectorSettings s = new DetectorSettings(1_000, 1_000, 1_000, 3);
        Harness h = watching(s);
        h.run(20_000, t -> t >= 5_005);
        FailureDetector.Transition failed = h.transitions.stream().filter(FailureDetector.Transition::failed)
                .findFirst().orElseThrow();
        assertEquals(3, failed.missedProbes());
    }

    @Test
    void lateAndSparsePollsProcessDeadlinesWithoutProbeBursts() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        h.now = 0;
        FailureDetector.Poll first = h.detector.poll();
        assertEquals(1, first.probes().size());
        assertEquals(1_000, first.nextWakeMillis(), "next wake: the probe deadline / next probe");
        h.now = 30_000; // nobody polled for 30 s and nothing was heard
        FailureDetector.Poll late = h.detector.poll();
        assertEquals(1, late.probes().size(), "one probe, no catch-up burst");
        assertEquals(List.of(WatchState.SUSPECTED), late.transitions().stream().map(FailureDetector.Transition::to)
                .toList(), "one miss is not a failure, however late");
    }

    @Test
    void nextWakeNeverBusyLoops() {
        Harness h = watching(new DetectorSettings(1_000, 500, 1_000, 5));
        h.run(3_000, t -> t >= 1_000);
        FailureDetector.Poll p = h.detector.poll();
        assertTrue(p.nextWakeMillis() > h.now, "wake " + p.nextWakeMillis() + " at " + h.now);
        assertEquals(Long.MAX_VALUE, new FailureDetector(DetectorSettings.DEFAULTS, () -> 0).poll().nextWakeMillis());
    }

    @Test
    void watchUnwatchAndBounds() {
        long[] now = {0};
        FailureDetector d = new FailureDetector(DetectorSettings.DEFAULTS, () -> now[0]);
        for (int i = 0; i < FailureDetector.MAX_WATCHED; i++) {
            assertTrue(d.watch("n" + i));
        }
        assertFalse(d.watch("one-too-many"));
        assertTrue(d.watch("n0"), "watching again is a no-op");
        assertTrue(d.unwatch("n0"));
        assertFalse(d.unwatch("n0"));
        assertTrue(d.heard("unknown").isEmpty());
        assertTrue(d.state("n0").isEmpty());
    }

    @Test
    void settingsAreValidatedWithEveryProblemNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DetectorSettings(50, 2_000, 10, 1));
        assertTrue(e.getMessage().contains("probe period"), e.getMessage());
        assertTrue(e.getMessage().contains("missed probes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DetectorSettings(1_000, 1_500, 5_000, 3),
                "timeout above period");
        assertThrows(IllegalArgumentException.class, () -> new DetectorSettings(1_000, 1_000, 500, 3),
                "suspicion below one period");
        assertEquals(6_000, DetectorSettings.DEFAULTS.minimumDetectionMillis());
    }

    @Test
    void reconfigureAppliesToLaterProbes() {
        Harness h = watching(DetectorSettings.DEFAULTS);
        h.run(5_000, t -> false);
        int before = h.probesSent;
        h.detector.reconfigure(new DetectorSettings(2_000, 1_000, 4_000, 2));
        h.run(25_000, t -> false);
        int after = h.probesSent - before;
        assertTrue(after >= 9 && after <= 11, "about one probe per 2 s over 20 s, got " + after);
    }
}
