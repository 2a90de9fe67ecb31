package io.cqkd.dht.deploy;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory and CPU of one container: a limit and a reservation (Kubernetes: a request). Memory is
 * kept in MiB and CPU in millicores, so that both output dialects are exact: Docker writes
 * {@code 512M} and {@code '0.5'}, Kubernetes {@code 512Mi} and {@code 500m}.
 *
 * @param memoryLimitMiB       memory limit, MiB (at least 16)
 * @param cpuLimitMilli        CPU limit in millicores, 0 for none
 * @param memoryReservationMiB memory reservation, MiB, 0 for none; at most the limit
 * @param cpuReservationMilli  CPU reservation in millicores, 0 for none; at most the limit when there is one
 */
public record ResourceSpec(int memoryLimitMiB, int cpuLimitMilli, int memoryReservationMiB, int cpuReservationMilli) {
    /** Smallest memory limit accepted: a JVM does not start in less. */
    public static final int MIN_MEMORY_MIB = 16;
    /** Largest memory accepted (1 TiB). */
    public static final int MAX_MEMORY_MIB = 1024 * 1024;
    /** Largest CPU accepted, in millicores (256 CPUs). */
    public static final int MAX_CPU_MILLI = 256_000;

    private static final Pattern MEMORY = Pattern.compile("([0-9]{1,7})(M|Mi|MiB|MB|G|Gi|GiB|GB)");
    private static final Pattern CPU_DECIMAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3})?");
    private static final Pattern CPU_MILLI = Pattern.compile("([0-9]{1,6})m");

    /** Seed 000: super 512M / 0.5 CPU limit, 256M / 0.25 CPU reserved. */
    public static final ResourceSpec SUPER_DEFAULT = new ResourceSpec(512, 500, 256, 250);
    /** Half a super's capacity (250 sessions against 500): 384M / 0.5 CPU limit, 192M / 0.25 reserved. */
    public static final ResourceSpec REGIONAL_DEFAULT = new ResourceSpec(384, 500, 192, 250);
    /** A local (50 sessions): 256M / 0.25 CPU limit, 128M / 0.1 reserved. */
    public static final ResourceSpec LOCAL_DEFAULT = new ResourceSpec(256, 250, 128, 100);
    /** Seed 004: worker 256M limit, 128M reserved, no CPU setting. */
    public static final ResourceSpec WORKER_DEFAULT = new ResourceSpec(256, 0, 128, 0);

    /** Validates the bounds and that a reservation does not exceed its limit. */
    public ResourceSpec {
        if (memoryLimitMiB < MIN_MEMORY_MIB || memoryLimitMiB > MAX_MEMORY_MIB) {
            throw new DeployException("memory limit must be " + MIN_MEMORY_MIB + "M-" + MAX_MEMORY_MIB + "M, got "
                    + memoryLimitMiB + "M");
        }
        if (memoryReservationMiB < 0 || memoryReservationMiB > memoryLimitMiB) {
            throw new DeployException("memory reservation must be at most the limit " + memoryLimitMiB + "M, got "
                    + memoryReservationMiB + "M");
        }
        if (cpuLimitMilli < 0 || cpuLimitMilli > MAX_CPU_MILLI) {
            throw new DeployException("CPU limit must be 0.001-" + MAX_CPU_MILLI / 1000 + ", got " + cpus(cpuLimitMilli));
        }
        if (cpuReservationMilli < 0 || cpuReservationMilli > MAX_CPU_MILLI
                || (cpuLimitMilli > 0 && cpuReservationMilli > cpuLimitMilli)) {
            throw new DeployException("CPU reservation must be at most the limit " + cpus(cpuLimitMilli) + ", got "
                    + cpus(cpuReservationMilli));
        }
    }

    /** This with another limit. */
    public ResourceSpec withLimit(int memoryMiB, int cpuMilli) {
        return new ResourceSpec(memoryMiB, cpuMilli, Math.min(memoryReservationMiB, memoryMiB),
                cpuMilli > 0 ? Math.min(cpuReservationMilli, cpuMilli) : cpuReservationMilli);
    }

    /** This with another reservation. */
    public ResourceSpec withReservation(int memoryMiB, int cpuMilli) {
        return new ResourceSpec(memoryLimitMiB, cpuLimitMilli, memoryMiB, cpuMilli);
    }

    /**
     * Parses a memory size: {@code 512M}, {@code 512Mi}, {@code 1G}, {@code 1Gi} (all binary units).
     *
     * @throws DeployException quoting the text
     */
    public static int parseMemoryMiB(String what, String text) {
        Matcher m = MEMORY.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new DeployException(what + " must be a size like 512M or 1G, got '" + text + "'");
        }
        long v = Long.parseLong(m.group(1));
        if (m.group(2).startsWith("G")) {
            v *= 1024;
        }
        if (v > MAX_MEMORY_MIB) {
            throw new DeployException(what + " must be at most 1024G, got '" + text + "'");
        }
        return (int) v;
    }

    /**
     * Parses a CPU amount: {@code 0.5}, {@code 2}, or Kubernetes millicores {@code 500m}.
     *
     * @throws DeployException quoting the text
     */
    public static int parseCpuMilli(String what, String text) {
        String t = text == null ? "" : text.trim();
        Matcher milli = CPU_MILLI.matcher(t);
        long v;
        if (milli.matches()) {
            v = Long.parseLong(milli.group(1));
        } else if (CPU_DECIMAL.matcher(t).matches()) {
            v = new BigDecimal(t).movePointRight(3).longValueExact();
        } else {
            throw new DeployException(what + " must be a CPU amount like 0.5 or 500m, got '" + text + "'");
        }
        if (v < 1 || v > MAX_CPU_MILLI) {
            throw new DeployException(what + " must be 0.001-" + MAX_CPU_MILLI / 1000 + " CPUs, got '" + text + "'");
        }
        return (int) v;
    }

    /** Docker's memory text: {@code 512M}. */
    public static String dockerMemory(int mib) {
        return mib + "M";
    }

    /** Kubernetes' memory text: {@code 512Mi}. */
    public static String k8sMemory(int mib) {
        return mib + "Mi";
    }

    /** Docker's CPU text: {@code 0.5}, {@code 2}, {@code 0.125}. */
    public static String cpus(int milli) {
        return BigDecimal.valueOf(milli).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** Kubernetes' CPU text: {@code 500m}. */
    public static String k8sCpu(int milli) {
        return milli + "m";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "limit %s%s, reserved %s%s", dockerMemory(memoryLimitMiB),
                cpuLimitMilli > 0 ? "/" + cpus(cpuLimitMilli) : "",
                memoryReservationMiB > 0 ? dockerMemory(memoryReservationMiB) : "-",
                cpuReservationMilli > 0 ? "/" + cpus(cpuReservationMilli) : "");
    }
}
