package io.flinkrnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    /** Spins until the calling thread has used {@code nanos} of CPU. */
    private static long burn(long nanos) {
        var bean = ManagementFactory.getThreadMXBean();
        long start = bean.getCurrentThreadCpuTime();
        long x = 0;
        while (bean.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 10_000; i++) {
                x += i * 31L ^ x;
            }
        }
        return x;
    }

    @Test
    void countsAThreadThatEndsBeforeTheStopUnderItsKind() throws Exception {
        ThreadCpu cpu = new ThreadCpu(name -> name.startsWith("burner") ? "burn" : null);
        Thread t = new Thread(() -> burn(400_000_000L), "burner-1");
        t.start();
        t.join();
        Thread.sleep(3 * ThreadCpu.PERIOD_MS);
        Map<String, Double> s = cpu.stop(List.of("burn", "idle"));
        // The thread's last period before it ended is lost to jit_gc_vm: at most PERIOD_MS of the 400 ms.
        assertTrue(s.get("burn") >= 0.4 - ThreadCpu.PERIOD_MS / 1000.0 - 0.02 && s.get("burn") <= 0.45, s.toString());
        assertEquals(0.0, s.get("idle"));
        assertEquals(List.of("burn", "idle", "other_java", "jit_gc_vm"), List.copyOf(s.keySet()));
    }

    @Test
    void leavesOutWhatThreadsSpentBeforeTheStart() {
        burn(200_000_000L); // this thread's CPU before the start
        ThreadCpu cpu = new ThreadCpu(name -> null);
        Map<String, Double> s = cpu.stop(List.of());
        assertTrue(s.get("other_java") < 0.1, s.toString());
    }

    @Test
    void printsMicrosecondsPerEvent() {
        Map<String, Double> s = new java.util.LinkedHashMap<>();
        s.put("task", 2.0);
        s.put("jit_gc_vm", 0.5);
        assertEquals("total_us=2.50 task_us=2.00 jit_gc_vm_us=0.50", ThreadCpu.perEvent(s, 1_000_000));
    }
}
