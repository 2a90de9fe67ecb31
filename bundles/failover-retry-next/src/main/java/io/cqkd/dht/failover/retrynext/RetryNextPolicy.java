package io.cqkd.dht.failover.retrynext;

import io.cqkd.dht.api.failover.FailoverDecision;
import io.cqkd.dht.api.failover.FailoverPolicy;
import io.cqkd.dht.api.failover.FailureSituation;
import io.cqkd.dht.failover.common.ClientMoves;
import io.cqkd.dht.failover.common.Rebalance;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code retry-next} failover policy. Stateless; registered with {@code policy=retry-next}.
 *
 * <ul>
 *   <li>Client side (the observer's bootstrap node or parent failed): the next usable node of the
 *       same level in the order its selection strategy gives, then the level above
 *       ({@link ClientMoves#retryNext}).</li>
 *   <li>Server side (a child or peer failed): nobody is promoted; the node is marked failed and
 *       its sessions are expected to spread over the remaining nodes of its level and region
 *       ({@link FailoverDecision.MarkFailed}), since its clients move on by themselves.</li>
 * </ul>
 */
@Component(service = FailoverPolicy.class, property = FailoverPolicy.PROP_POLICY + "=" + RetryNextPolicy.NAME)
public final class RetryNextPolicy implements FailoverPolicy {
    /** The policy name. */
    public static final String NAME = "retry-next";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FailoverDecision decide(FailureSituation s) {
        if (!s.relation().observerManages()) {
            return ClientMoves.retryNext(s);
        }
        Rebalance.Plan plan = Rebalance.plan(s.failed().activeSessions(), Rebalance.remaining(s, null));
        return new FailoverDecision.MarkFailed(s.failed().name(), plan.referrals(), plan.unplaced(),
                "retry-next promotes nobody: clients move to the next node of their selection");
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("client", "next usable node of the level in selection order, then the level above",
                "server", "mark failed, rebalance referrals over the remaining nodes of the level and region");
    }
}
