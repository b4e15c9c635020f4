package io.flinkrnn.operators;

import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic observation streams and the forecasts the kernels alone give for them. */
final class TestData {
    static final long T0 = 1_700_000_000_000L;
    /** A record timestamp (the Kafka source's, in a job) a year after T0: the test series are not ahead of it. */
    static final long NOW = T0 + 365L * 86_400_000L;

    private TestData() {
    }

    static String key(int k) {
        return "key-" + k;
    }

    /** {@code keys} series of {@code steps} observations each, interleaved randomly but in time order per key. */
    static List<Observation> interleaved(int keys, int steps, int features, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] next = new int[keys];
        List<Observation> out = new ArrayList<>(keys * steps);
        int remaining = keys * steps;
        while (remaining > 0) {
            int k = rnd.nextInt(keys);
            if (next[k] == steps) {
                continue;
            }
            out.add(observation(k, next[k]++, features));
            remaining--;
        }
        return out;
    }

    static Observation observation(int k, int step, int features) {
        List<Float> v = new ArrayList<>(features);
        for (int f = 0; f < features; f++) {
            v.add((float) Math.sin(0.1 * step + k + f * 0.7) + 0.01f * f);
        }
        return Observation.newBuilder().setKey(key(k)).setEventTime(Instant.ofEpochMilli(T0 + step * 60_000L))
                .setValues(v).build();
    }

    /** Steps each key's observations, in the given order, alone through the Java kernels. */
    static Map<String, List<float[]>> expected(RnnModel model, List<Observation> in) {
        Map<String, float[]> states = new HashMap<>();
        Map<String, List<float[]>> out = new HashMap<>();
        try (StepBackend b = new CpuStepBackend(model, 1, "reference")) {
            for (Observation o : in) {
                float[] s = states.computeIfAbsent(o.getKey(), k -> new float[model.stateSize()]);
                float[] x = new float[model.inputSize()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = o.getValues().get(i);
                }
                float[] y = new float[model.outputSize()];
                b.step(1, x, s, y);
                out.computeIfAbsent(o.getKey(), k -> new ArrayList<>()).add(y);
            }
        }
        return out;
    }

    /** Forecasts per key, in event-time order. */
    static Map<String, List<Forecast>> byKey(List<Forecast> forecasts) {
        Map<String, List<Forecast>> m = new HashMap<>();
        for (Forecast f : forecasts) {
            m.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f);
        }
        m.values().forEach(l -> l.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime())));
        return m;
    }

    static float[] values(Forecast f) {
        float[] a = new float[f.getValues().size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = f.getValues().get(i);
        }
        return a;
    }
}
