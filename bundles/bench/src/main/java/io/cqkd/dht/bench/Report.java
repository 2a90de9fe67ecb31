package io.cqkd.dht.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link Results} as the JSON report (the keys of issue 6 plus more) and as the
 * human-readable summary. Missing figures (NaN, no sample) are {@code null} in JSON and "-" in text.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    /** The JSON report. */
    public static ObjectNode toJson(Results r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("nodes", r.nodes);
        o.put("topology", r.topology);
        o.put("selector", r.selector);
        o.put("bootstrap_nodes", r.bootstrapNodes);
        o.put("k", r.k);
        o.put("ready_threshold", r.readyThreshold);
        o.put("seed_random", r.seedRandom);

        ObjectNode join = o.putObject("join");
        num(join, "wall_s", r.joinWallS);
        join.put("ready", r.ready);
        join.put("not_ready", r.notReady);
        join.put("failed_to_start", r.failedToStart);
        num(join, "node_ready_ms_p50", r.nodeReadyMs.p50());
        num(join, "node_ready_ms_p99", r.nodeReadyMs.p99());
        num(join, "node_ready_ms_max", r.nodeReadyMs.max());
        num(join, "start_window_s", r.startWindowS);
        num(join, "phase_s", r.joinPhaseS);
        num(join, "node_create_ms_p50", r.nodeCreateMs.p50());
        num(join, "cpu_s", r.joinCpuS);
        r.joinTraffic.forEach(join.putObject("traffic")::put);
        r.joinInboundByType.forEach(join.putObject("inbound_by_type")::put);

        ObjectNode boot = o.putObject("bootstrap_load");
        List<Long> total = new java.util.ArrayList<>();
        for (int i = 0; i < r.bootstrapInboundJoin.size(); i++) {
            total.add(r.bootstrapInboundJoin.get(i) + at(r.bootstrapInboundOps, i));
        }
        boot.put("max_inbound_datagrams", total.stream().mapToLong(Long::longValue).max().orElse(0));
        num(boot, "mean_inbound_datagrams", total.stream().mapToLong(Long::longValue).average().orElse(Double.NaN));
        if (r.maxSessionsPeak == null) {
            boot.putNull("max_sessions_peak");
        } else {
            boot.put("max_sessions_peak", r.maxSessionsPeak);
        }
        if (r.overCapacityEvents == null) {
            boot.putNull("over_capacity_events");
        } else {
            boot.put("over_capacity_events", r.overCapacityEvents);
        }
        if (r.refusedFull != null) {
            boot.put("refused_full", r.refusedFull);
        }
        longs(boot.putArray("inbound_join"), r.bootstrapInboundJoin);
        longs(boot.putArray("inbound_ops"), r.bootstrapInboundOps);
        longs(boot.putArray("inbound_lookups"), r.bootstrapInboundLookups);
        boot.put("inbound_join_total", r.bootstrapInboundJoin.stream().mapToLong(Long::longValue).sum());
        boot.put("inbound_ops_total", r.bootstrapInboundOps.stream().mapToLong(Long::longValue).sum());
        ObjectNode types = boot.putObject("by_type");
        ObjectNode tj = types.putObject("join");
        r.bootstrapByTypeJoin.forEach((role, m) -> m.forEach(tj.putObject(role)::put));
        ObjectNode to = types.putObject("ops");
        r.bootstrapByTypeOps.forEach((role, m) -> m.forEach(to.putObject(role)::put));
        ObjectNode bj = types.putObject("busiest_join");
        bj.put("node", r.busiestJoinNode);
        r.busiestByTypeJoin.forEach(bj::put);
        boot.put("note", "max/mean over bootstrap nodes of DATAGRAMS_IN (core Counters) from t0 to the end of the "
                + "get phase (join + ops); max_sessions_peak = largest tier session peak of a bootstrap node, "
                + "over_capacity_events = bootstrap nodes whose peak exceeded their capacity; both null for flat "
                + "seeds (no sessions); by_type = inbound messages by kind (core Counters.inboundByType) summed per "
                + "bootstrap role (seed for flat), over the join and over put+get, and the busiest node's over the join");

        r.putsInboundByType.forEach(op(o.putObject("puts"), r.puts).putObject("inbound_by_type")::put);
        r.getsInboundByType.forEach(op(o.putObject("gets"), r.gets).putObject("inbound_by_type")::put);
        r.opsTraffic.forEach(o.putObject("ops_traffic")::put);
        ObjectNode lk = op(o.putObject("lookups"), r.lookups);
        lk.put("count", r.lookups.attempted);
        lk.put("correct", r.lookupsCorrect);
        lk.put("missed_unknown", r.lookupsMissedUnknown);
        lk.put("missed_known", r.lookupsMissedKnown);
        r.lookupMissSamples.forEach(lk.putArray("miss_samples")::add);
        num(lk, "hops_p50", r.lookupHops.p50());
        num(lk, "hops_max", r.lookupHops.max());

        ObjectNode routing = o.putObject("routing");
        num(routing, "contacts_p50", r.tableContacts.p50());
        num(routing, "contacts_min", r.tableContacts.percentile(0));
        num(routing, "empty_farther_buckets_mean", r.emptyFartherBuckets.mean());
        num(routing, "empty_farther_buckets_p99", r.emptyFartherBuckets.p99());
        routing.put("note", "every node's routing table at the end of the run: contacts, and the empty buckets"
                + " farther than its nearest non-empty one (bucket refreshes still owed, one lookup each)");

        num(o, "cpu_s", r.cpuS);
        num(o, "join_cpu_s", r.joinCpuS);
        num(o, "ops_cpu_s", r.opsCpuS);
        num(o, "peak_rss_mb", r.peakRssMb);
        num(o, "heap_used_mb", r.heapUsedMb);
        num(o, "heap_used_mb_per_1000_nodes", r.heapUsedMbPer1000Nodes);
        num(o, "wall_s", r.wallS);
        o.put("jvm", r.jvm);
        o.put("jvm_flags", r.jvmFlags);
        o.put("cores", r.cores);
        o.put("event_loop_threads", r.threads);
        o.put("transport", r.transport);
        o.put("load_average_at_start", r.loadAverageAtStart);
        ArrayNode notes = o.putArray("notes");
        r.notes.forEach(notes::add);
        return o;
    }

    private static long at(List<Long> l, int i) {
        return i < l.size() ? l.get(i) : 0;
    }

    private static ObjectNode op(ObjectNode o, Results.Op op) {
        o.put("attempted", op.attempted);
        o.put("ok", op.ok);
        o.put("fail_timeout", op.failTimeout);
        o.put("fail_error", op.failError);
        o.put("fail_wrong_value", op.failWrong);
        o.put("not_run", op.notRun);
        num(o, "ms_p50", op.ms.p50());
        num(o, "ms_p99", op.ms.p99());
        num(o, "ms_mean", op.ms.mean());
        num(o, "ms_max", op.ms.max());
        num(o, "wall_s", op.wallS);
        ArrayNode errs = o.putArray("sample_errors");
        op.sampleErrors.forEach(errs::add);
        return o;
    }

    private static void longs(ArrayNode a, List<Long> l) {
        l.forEach(a::add);
    }

    private static void num(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, Math.round(v * 1000.0) / 1000.0);
        }
    }

    /** Writes the JSON report. */
    public static void write(Results r, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, JSON.writeValueAsString(toJson(r)) + "\n");
    }

    /** The human-readable summary. */
    public static String text(Results r) {
        StringBuilder b = new StringBuilder();
        line(b, "cqkd-bench: %d nodes, topology %s, selection %s, %d bootstrap node(s), k=%d (ready at %d contacts), %s, "
                + "%d event-loop threads", r.nodes, r.topology, r.selector, r.bootstrapNodes, r.k, r.readyThreshold,
                r.transport, r.threads);
        line(b, "  join     wall %s s (start window %s s), ready %d, not ready %d, failed %d; per node ready p50 %s ms, p99 %s ms",
                f(r.joinWallS, 2), f(r.startWindowS, 2), r.ready, r.notReady, r.failedToStart,
                f(r.nodeReadyMs.p50(), 1), f(r.nodeReadyMs.p99(), 1));
        long joinIn = r.bootstrapInboundJoin.stream().mapToLong(Long::longValue).sum();
        long opsIn = r.bootstrapInboundOps.stream().mapToLong(Long::longValue).sum();
        long maxIn = 0;
        for (int i = 0; i < r.bootstrapInboundJoin.size(); i++) {
            maxIn = Math.max(maxIn, r.bootstrapInboundJoin.get(i) + at(r.bootstrapInboundOps, i));
        }
        if (r.bootstrapInboundJoin.size() <= 4) {
            line(b, "  boot     inbound datagrams join %s = %d, ops %d", r.bootstrapInboundJoin, joinIn, opsIn);
        } else {
            line(b, "  boot     %d bootstrap nodes: inbound datagrams join %d, ops %d, busiest node %d (join+ops)",
                    r.bootstrapInboundJoin.size(), joinIn, opsIn, maxIn);
        }
        if (r.maxSessionsPeak != null) {
            line(b, "  tier     sessions peak %d, nodes over capacity %d, joins refused full %d", r.maxSessionsPeak,
                    r.overCapacityEvents, r.refusedFull);
        }
        Long dg = r.joinTraffic.get("datagrams_in");
        if (dg != null) {
            line(b, "  traffic  join: %d datagrams (%s per node), %d lookups, %d requests, %d timeouts, %d rate-limited",
                    dg, f(dg / (double) Math.max(1, r.nodes), 0), r.joinTraffic.get("lookups"),
                    r.joinTraffic.get("requests_out"), r.joinTraffic.get("rpc_timeouts"),
                    r.joinTraffic.get("dropped_rate_limited"));
        }
        opLine(b, "put ", r.puts);
        opLine(b, "get ", r.gets);
        line(b, "  lookup   %d/%d correct, hops p50 %s, ms p50 %s, p99 %s", r.lookupsCorrect, r.lookups.attempted,
                f(r.lookupHops.p50(), 0), f(r.lookups.ms.p50(), 2), f(r.lookups.ms.p99(), 2));
        if (r.lookupsMissedUnknown + r.lookupsMissedKnown > 0) {
            line(b, "           missed: %d closest nodes unknown to every result node, %d known to one (did not answer)",
                    r.lookupsMissedUnknown, r.lookupsMissedKnown);
        }
        if (r.tableContacts.count() > 0) {
            line(b, "  routing  contacts per table p50 %s, min %s; empty farther buckets per table mean %s, p99 %s",
                    f(r.tableContacts.p50(), 0), f(r.tableContacts.percentile(0), 0),
                    f(r.emptyFartherBuckets.mean(), 2), f(r.emptyFartherBuckets.p99(), 0));
        }
        line(b, "  cost     CPU %s s (join %s, put+get %s), peak RSS %s MB, heap %s MB (%s MB per 1000 nodes), wall %s s",
                f(r.cpuS, 2), f(r.joinCpuS, 2), f(r.opsCpuS, 2), f(r.peakRssMb, 0), f(r.heapUsedMb, 1),
                f(r.heapUsedMbPer1000Nodes, 1), f(r.wallS, 1));
        line(b, "  machine  %d cores, load %s at start, %s", r.cores, r.loadAverageAtStart, r.jvm);
        for (String n : r.notes) {
            line(b, "  note     %s", n);
        }
        return b.toString();
    }

    private static void opLine(StringBuilder b, String name, Results.Op op) {
        line(b, "  %s     %d/%d ok (timeout %d, error %d, wrong %d, not run %d), ms p50 %s, p99 %s, max %s",
                name, op.ok, op.attempted, op.failTimeout, op.failError, op.failWrong, op.notRun,
                f(op.ms.p50(), 2), f(op.ms.p99(), 2), f(op.ms.max(), 2));
    }

    private static void line(StringBuilder b, String fmt, Object... args) {
        b.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }

    static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
