package io.cqkd.dht.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time, peak RSS and heap of this process, and the load average. */
public final class ProcessMetrics {
    private ProcessMetrics() {
    }

    /** CPU seconds (user + system, all threads) of this process so far. */
    public static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            if (ns >= 0) {
                return ns / 1e9;
            }
        }
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L) / 1e9;
    }

    /** Peak resident set size in MiB ({@code VmHWM} of /proc/self/status), NaN where unavailable. */
    public static double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    /** {@code VmHWM} (or another field) of /proc/self/status in kB, NaN where unavailable. */
    static double statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return parseKb(line.substring(field.length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** Parses "   123456 kB". */
    static double parseKb(String s) {
        String t = s.trim();
        int sp = t.indexOf(' ');
        return Double.parseDouble(sp < 0 ? t : t.substring(0, sp));
    }

    /** Heap in use after a full collection, in MiB. */
    public static double heapUsedAfterGcMb() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** The 1/5/15-minute load average ("?" where unavailable). */
    public static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.2f", l);
        }
    }
}
