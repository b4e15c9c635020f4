package io.flinkrnn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The CPU time this JVM's threads spend during one benchmark run, summed by kind of thread (the job's keyed task, its
 * sources, the in-JVM broker, the producers' senders), and what the process spent beyond its Java threads (the JIT
 * compilers and the garbage collector, which the thread bean does not list). Why: on two cores shared by the broker,
 * the sources, the job and the JIT, a throughput ratio between two jobs is a ratio of CPU per event, and only this
 * split says which part of the pipeline a gap sits in. A job's threads end with it, so a daemon thread samples them
 * every {@value #PERIOD_MS} ms and keeps each thread's last reading: what a thread spends in its last period before it
 * ends is counted in {@code jit_gc_vm} instead of its kind.
 */
final class ThreadCpu implements AutoCloseable {
    static final long PERIOD_MS = 100;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Function<String, String> kindOf;
    private final Map<Long, Long> first = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, String> kinds = new HashMap<>();
    private final long processStart = processCpu();
    private final Thread sampler;
    private volatile boolean running = true;

    /** Starts sampling; {@code kindOf} names the kind of a thread from its name (null: other Java threads). */
    ThreadCpu(Function<String, String> kindOf) {
        this.kindOf = kindOf;
        sample(true);
        sampler = new Thread(() -> {
            while (running) {
                sample(false);
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-thread-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Reads every live thread's CPU time; a thread first seen after the start counts from zero. */
    private synchronized void sample(boolean atStart) {
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (cpu < 0 || infos[i] == null) {
                continue;
            }
            if (!first.containsKey(ids[i])) {
                first.put(ids[i], atStart ? cpu : 0L);
                String kind = kindOf.apply(infos[i].getThreadName());
                kinds.put(ids[i], kind == null ? "other_java" : kind);
            }
            last.put(ids[i], cpu);
        }
    }

    /**
     * Stops sampling and returns CPU seconds by kind, in {@code order} then any other, with {@code jit_gc_vm}: the
     * process's CPU time less its Java threads'.
     */
    synchronized Map<String, Double> stop(List<String> order) {
        running = false;
        sampler.interrupt();
        sample(false);
        Map<String, Double> out = new LinkedHashMap<>();
        order.forEach(k -> out.put(k, 0.0));
        double java = 0;
        for (Map.Entry<Long, Long> e : last.entrySet()) {
            double s = (e.getValue() - first.get(e.getKey())) / 1e9;
            out.merge(kinds.get(e.getKey()), s, Double::sum);
            java += s;
        }
        out.put("jit_gc_vm", Math.max(0, (processCpu() - processStart) / 1e9 - java));
        return out;
    }

    /** The split as {@code name_us=...} fields per event, for one benchmark line. */
    static String perEvent(Map<String, Double> seconds, long events) {
        StringBuilder b = new StringBuilder();
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        b.append(String.format(Locale.ROOT, "total_us=%.2f", total * 1e6 / events));
        seconds.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s_us=%.2f", k, v * 1e6 / events)));
        return b.toString();
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
