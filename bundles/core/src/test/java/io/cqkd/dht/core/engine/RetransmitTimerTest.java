package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetransmitTimerTest {
    @Test
    void fastAnswersKeepTheConfiguredTimeoutForEveryResend() {
        RetransmitTimer t = new RetransmitTimer();
        assertEquals(500, t.waitMillis(500, 0), "no sample yet: the configured timeout");
        assertEquals(1000, t.waitMillis(500, 1), "and each resend waits twice as long");
        assertEquals(2000, t.waitMillis(500, 2));
        assertEquals(RetransmitTimer.MAX_WAIT_MILLIS, t.waitMillis(500, 10), "bounded");
        for (int i = 0; i < 50; i++) {
            t.sample(2, 0);
        }
        assertTrue(t.rtoMillis() <= 4, "rto " + t.rtoMillis());
        assertEquals(500, t.waitMillis(500, 0), "a fast network never shortens the configured timeout");
        assertEquals(500, t.waitMillis(500, 3), "nor lengthens a resend: a silent peer there is gone");
    }

    @Test
    void slowAnswersStretchTheWaitAndItShrinksBackWhenTheyRecover() {
        RetransmitTimer t = new RetransmitTimer();
        for (int i = 0; i < 20; i++) {
            t.sample(2, 0);
        }
        for (int i = 0; i < 20; i++) {
            t.sample(1500 + (i % 2) * 400, 0); // a congested event loop: 1.5-1.9 s
        }
        long congested = t.waitMillis(500, 0);
        assertTrue(congested >= 1700 && congested <= 3500, "waits beyond the slow answers: " + congested);
        assertEquals(2 * congested, t.waitMillis(500, 1), "resends back off");
        assertEquals(RetransmitTimer.MAX_WAIT_MILLIS, t.waitMillis(500, 10), "bounded");
        for (int i = 0; i < 100; i++) {
            t.sample(3, 0);
        }
        assertEquals(500, t.waitMillis(500, 0), "recovered");
    }

    @Test
    void queueingDelayIsTheSmoothedRttAboveTheBaseOfTheLastWindows() {
        RetransmitTimer t = new RetransmitTimer();
        assertEquals(0, t.queueingDelayMillis(), "no sample yet");
        for (int i = 0; i < 30; i++) {
            t.sample(20, i * 100);
        }
        assertEquals(0, t.queueingDelayMillis(), "steady answers: no queueing");
        for (int i = 0; i < 30; i++) {
            t.sample(420, 5_000 + i * 100);
        }
        long q = t.queueingDelayMillis();
        assertTrue(q >= 350 && q <= 400, "answers 400 ms later than the base: " + q);
        // three windows later with slow answers only: the old fast base is forgotten
        long later = 5_000 + 3 * RetransmitTimer.BASE_WINDOW_MILLIS;
        for (int i = 0; i < 30; i++) {
            t.sample(420, later + i * 100);
        }
        assertEquals(0, t.queueingDelayMillis(), "the base follows the path: " + t.queueingDelayMillis());
        assertTrue(t.srttMillis() >= 410 && t.srttMillis() <= 420, "srtt " + t.srttMillis());
    }
}
