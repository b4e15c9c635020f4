package io.flinkrnn.stepper;

/** Writes a key's state as state formats 3 and 4 did: one row count for the key, then the parts without theirs. */
final class LegacyVectors {
    private LegacyVectors() {
    }

    /** {@code s}'s features (in {@code layout}) in the legacy form, ending where part {@code end} would begin. */
    static KeyState of(KeyState s, KeyLayout layout, StatePart end) {
        float[] f = s.features();
        StateParts parts = layout.parts;
        float[] out = new float[f.length + 1];
        out[0] = Math.min(s.steps(), 16_777_216L);
        int from = 0;
        int to = 1;
        for (int i = 0; i < parts.count(); i++) {
            StatePart p = parts.part(i);
            if (end != null && p.ordinal() >= end.ordinal()) {
                break;
            }
            int skip = p.countsRows() ? 1 : 0;
            System.arraycopy(f, from + skip, out, to, parts.size(i) - skip);
            from += parts.size(i);
            to += parts.size(i) - skip;
        }
        return new KeyState(s.recurrent(), s.steps(), s.lastEventTime(), java.util.Arrays.copyOf(out, to),
                s.modelVersion());
    }
}
