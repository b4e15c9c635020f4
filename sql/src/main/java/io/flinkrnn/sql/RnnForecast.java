package io.flinkrnn.sql;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.operators.ModelFiles;
import io.flinkrnn.operators.state.RnnKeyStateSerializer;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.api.dataview.MapView;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.types.ColumnList;
import org.apache.flink.types.Row;

/**
 * {@code RNN_FORECAST}: forecasts, intervals and anomaly flags from SQL, one row out per row in, each key stepped
 * by the same {@link KeyStepper} as the DataStream operator, with its state (the project's own serializer, as a
 * RAW value) in the function's Flink state, so it is checkpointed and restored like any keyed state, and expired
 * only when the call gives {@code state_ttl}.
 *
 * <pre>{@code
 * SELECT * FROM RNN_FORECAST(
 *     input => TABLE readings PARTITION BY sensor, model => 'file:///models/load.avro',
 *     features => DESCRIPTOR(load, temperature), on_time => DESCRIPTOR(ts), uid => 'load-forecast')
 * }</pre>
 *
 * A row the DataStream job would send to dead letters (a null or non-finite feature, a null time, time going
 * backwards) does not fail the query: it comes out with null forecasts and an {@code error} ("REASON: message"),
 * and is counted in the metric {@code rowsRejected.<reason>}. Each forecast is counted under the guard's candidate that
 * made it, in {@code forecastSources.<source>}, as the DataStream operator's. A wrong call (a model that cannot be read, features
 * that are not the model's, a bad optional argument) fails at the first row with one line naming the argument.
 * The numeric options are strings ({@code intervals => '0.95'}): Flink 2.2 does not cast a PTF's scalar arguments,
 * so a numeric literal of another type than the parameter's fails its code generation.
 */
@DataTypeHint(value = ForecastRows.TYPE, bridgedTo = RowData.class)
public class RnnForecast extends ProcessTableFunction<RowData> {
    private static final long serialVersionUID = 1L;

    /** The name of the state that keeps a key's history ({@link KeyState#history()}) apart from its state. */
    static final String HISTORY = "flinkRnnHistory";

    /** The key's state: one RAW field, written by {@link RnnKeyStateSerializer} like the operator's. */
    public static class KeyStateEntry {
        @DataTypeHint(value = "RAW", bridgedTo = KeyState.class, rawSerializer = RnnKeyStateSerializer.class)
        public KeyState key;
    }

    private transient Map<CallKey, Call> calls;
    private transient Object[] lastArguments;
    private transient Call lastCall;
    private transient MetricGroup metrics;
    private transient Map<DeadLetterReason, Counter> rejected;
    private transient Map<StatePart, Counter> fresh;
    /** Forecasts by the guard's candidate that made them, as the operator's {@code forecastSources.<source>}. */
    private transient Counter[] sources;

    /** The annotations' type inference, but each state's TTL from the call's {@code state_ttl} (none without it). */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return StateTtlArgument.wrap(super.getTypeInference(typeFactory), HISTORY);
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        calls = new HashMap<>();
        metrics = context.getMetricGroup();
        rejected = new EnumMap<>(DeadLetterReason.class);
        fresh = new EnumMap<>(StatePart.class);
        MetricGroup bySource = metrics.addGroup("forecastSources");
        sources = new Counter[ForecastSource.values().length];
        for (ForecastSource s : ForecastSource.values()) {
            sources[s.ordinal()] = bySource.counter(s.metricName());
        }
    }

    @Override
    public void close() throws Exception {
        if (calls != null) {
            for (Call c : calls.values()) {
                c.stepper.close();
            }
            calls.clear();
        }
        lastArguments = null;
        lastCall = null;
    }

    public void eval(Context ctx, @StateHint(name = "flinkRnnState") KeyStateEntry state,
            @StateHint(name = HISTORY) MapView<Integer, float[]> history,
            @ArgumentHint(value = {ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.REQUIRE_ON_TIME}, name = "input")
            Row input,
            @ArgumentHint(name = "model") String model,
            @ArgumentHint(name = "features") ColumnList features,
            @ArgumentHint(name = "intervals", isOptional = true) String intervals,
            @ArgumentHint(name = "scoring", isOptional = true) String scoring,
            @ArgumentHint(name = "threshold", isOptional = true) String threshold,
            @ArgumentHint(name = "surprise", isOptional = true) String surprise,
            @ArgumentHint(name = "time_order", isOptional = true) String timeOrder,
            @ArgumentHint(name = "duplicates", isOptional = true) String duplicates,
            @ArgumentHint(name = "model_version", isOptional = true) String modelVersion,
            @ArgumentHint(name = StateTtlArgument.NAME, isOptional = true) String stateTtl) {
        Object[] arguments = {model, features, intervals, scoring, threshold, surprise, timeOrder, duplicates,
            modelVersion};
        Call call = sameArguments(arguments) ? lastCall : call(model, features, new SqlSettings(intervals, scoring,
                threshold, surprise, timeOrder, duplicates), modelVersion);
        lastArguments = arguments;
        lastCall = call;
        float[] values = call.values(input);
        Long time = ctx.timeContext(Long.class).time();
        String problem = call.problem;
        if (problem != null) {
            reject(DeadLetterReason.NON_FINITE_VALUE, problem, call, values);
            return;
        }
        if (time == null) {
            reject(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, "the row's time (on_time) is null", call, values);
            return;
        }
        StepBatch b = call.stepper.batch();
        b.clear();
        b.add(call.key(ctx, input), time, values, 0);
        call.store.entry = state;
        call.store.history = history;
        call.stepper.step(b, call.store);
        if (b.rejected(0)) {
            reject(b.rejection(0), b.rejectionMessage(0), call, values);
        } else {
            for (ForecastSource s : ForecastSource.values()) {
                sources[s.ordinal()].inc(b.sourceCount(s));
            }
            collect(call.rows.forecast(b, 0, values));
        }
    }

    private void reject(DeadLetterReason reason, String message, Call call, float[] values) {
        rejected.computeIfAbsent(reason, r -> metrics.addGroup("rowsRejected")
                .counter(r.name().toLowerCase(java.util.Locale.ROOT))).inc();
        collect(call.rows.error(reason.name() + ": " + message, values));
    }

    /**
     * Whether this row's arguments are the very objects of the last row's (a query's constant arguments are), so
     * that its call is the last one without building and hashing a key per row.
     */
    private boolean sameArguments(Object[] arguments) {
        if (lastArguments == null) {
            return false;
        }
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i] != lastArguments[i]) {
                return false;
            }
        }
        return true;
    }

    /** A call's arguments: what its stepper depends on. */
    private record CallKey(String model, List<String> features, SqlSettings settings, String version) {
    }

    /** The stepper and the rest for one call's arguments, made at its first row. */
    private Call call(String model, ColumnList features, SqlSettings settings, String version) {
        CallKey key = new CallKey(model, features == null ? List.of() : features.getNames(), settings, version);
        Call c = calls.get(key);
        if (c == null) {
            c = new Call(model, features, settings, version);
            c.stepper.freshParts().listener(p -> fresh.computeIfAbsent(p, x -> metrics
                    .addGroup("statePartsStartedFresh").counter(x.label())).inc());
            calls.put(key, c);
        }
        return c;
    }

    /** What one call of the function needs, for its model and settings. */
    private static final class Call {
        final KeyStepper stepper;
        final ForecastRows rows;
        final List<String> features;
        final float[] values;
        final EntryStore store = new EntryStore();
        /** The input's partition columns, the same for every row of the function. */
        int[] keys;
        String problem;

        Call(String uri, ColumnList columns, SqlSettings settings, String version) {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("RNN_FORECAST: model is required (a URI Flink's FileSystem reads)");
            }
            ModelArtifacts.Loaded loaded;
            try {
                loaded = ModelFiles.load(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("RNN_FORECAST: model " + e.getMessage(), e);
            }
            ForecastModel m = loaded.model;
            features = columns == null ? List.of() : columns.getNames();
            if (features.size() != m.featureCount()) {
                throw new IllegalArgumentException("RNN_FORECAST: features lists " + features.size() + " column"
                        + (features.size() == 1 ? " " : "s ") + features + ", but the model takes "
                        + m.featureCount() + ": " + m.features());
            }
            StepperSettings s = settings.stepper(m);
            stepper = new KeyStepper(m, s, new CpuStepBackend(m.network(), 1, "sql"), 1);
            rows = new ForecastRows(m, s.intervalCoverage() > 0, s.anomalyScoring(),
                    version != null ? version : loaded.checksum.substring(0, 12));
            values = new float[m.featureCount()];
        }

        /** The row's features in the model's order; sets {@link #problem} when one is null or not finite. */
        float[] values(Row input) {
            problem = null;
            for (int j = 0; j < values.length; j++) {
                Object v = input.getField(features.get(j));
                if (!(v instanceof Number)) {
                    if (v != null) {
                        throw new IllegalArgumentException("RNN_FORECAST: feature column " + features.get(j)
                                + " must be numeric, got " + v.getClass().getSimpleName());
                    }
                    problem = "feature " + features.get(j) + " is null";
                    values[j] = Float.NaN;
                    continue;
                }
                values[j] = ((Number) v).floatValue();
                if (!Float.isFinite(values[j]) && problem == null) {
                    problem = "feature " + features.get(j) + " is " + values[j];
                }
            }
            return values;
        }

        /** The partition key's values, for the stepper's messages. */
        String key(Context ctx, Row input) {
            if (keys == null) {
                keys = ctx.tableSemanticsFor("input").partitionByColumns();
            }
            if (keys.length == 1) {
                return String.valueOf(input.getField(keys[0]));
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < keys.length; i++) {
                b.append(i == 0 ? "" : "|").append(input.getField(keys[i]));
            }
            return b.toString();
        }
    }

    /**
     * The function's state entry of the current partition as the stepper's store of one key. It hands the stepper a
     * copy: after each row Flink's runtime keeps the state unwritten when its value equals the one it read, by hash
     * and then by serializing both; stepped in place, the value read is the value written, so the hashes always
     * matched and every row paid that serialization (a seventh of the function's time, heap state). A copy makes
     * the step count in the hash differ, and the state is written at once.
     */
    static final class EntryStore implements KeyStateStore {
        KeyStateEntry entry;
        /** The key's history under {@link #ONLY}: a map view reads its value only when asked (a value state always). */
        MapView<Integer, float[]> history;
        static final Integer ONLY = 0;

        @Override
        public KeyState read(String key) {
            if (entry.key == null) {
                return null;
            }
            KeyState s = entry.key.copy();
            if (s.history() != null) { // a state written with its history inside: move it apart
                put(key, s.history());
                s.history(null);
            }
            return s;
        }

        private void put(String key, float[] h) {
            try {
                history.put(ONLY, h);
            } catch (Exception e) {
                throw new IllegalStateException("writing the flink-rnn history of key '" + key + "' failed", e);
            }
        }

        @Override
        public void readHistory(String key, KeyState state) {
            try {
                state.history(history.get(ONLY));
            } catch (Exception e) {
                throw new IllegalStateException("reading the flink-rnn history of key '" + key + "' failed", e);
            }
        }

        @Override
        public void write(String key, KeyState state) {
            if (state.historyDropped()) { // its linear part went with the model: nothing reads it again
                try {
                    history.remove(ONLY);
                } catch (Exception e) {
                    throw new IllegalStateException("deleting the flink-rnn history of key '" + key + "' failed", e);
                }
                state.history(null);
            }
            float[] h = state.history();
            if (h != null) {
                if (state.historyChanged()) {
                    put(key, h);
                }
                state.history(null); // kept apart: never inside the key's state
            }
            entry.key = state;
        }
    }
}
