package io.cqkd.dht.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetransmitTimerTest {
    @Test
    void fastAnswersKeepTheConfiguredTimeoutForEveryResend() {
        RetransmitTimer t = new RetransmitTimer();
        assertEquals(500, t.waitMillis(500, 0), "no sample yet: the configured timeout");
        for (int i = 0; i < 50; i++) {
            t.sample(2);
        }
        assertTrue(t.rtoMillis() <= 4, "rto " + t.rtoMillis());
        assertEquals(500, t.waitMillis(500, 0), "a fast network never shortens the configured timeout");
        assertEquals(500, t.waitMillis(500, 3), "nor lengthens a resend: a silent peer there is gone");
    }

    @Test
    void slowAnswersStretchTheWaitAndItShrinksBackWhenTheyRecover() {
        RetransmitTimer t = new RetransmitTimer();
        for (int i = 0; i < 20; i++) {
            t.sample(2);
        }
        for (int i = 0; i < 20; i++) {
            t.sample(1500 + (i % 2) * 400); // a congested event loop: 1.5-1.9 s
        }
        long congested = t.waitMillis(500, 0);
        assertTrue(congested >= 1700 && congested <= 3500, "waits beyond the slow answers: " + congested);
        assertEquals(2 * congested, t.waitMillis(500, 1), "resends back off");
        assertEquals(RetransmitTimer.MAX_WAIT_MILLIS, t.waitMillis(500, 10), "bounded");
        for (int i = 0; i < 100; i++) {
            t.sample(3);
        }
        assertEquals(500, t.waitMillis(500, 0), "recovered");
    }
}
