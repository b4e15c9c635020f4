package io.flinkrnn.operators;

import io.flinkrnn.kernels.Backends;
import io.flinkrnn.stepper.BundleWaves;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.bundle.FlushCause;
import io.flinkrnn.operators.bundle.ObservationBundle;
import io.flinkrnn.operators.state.RnnKeyState;
import io.flinkrnn.operators.state.RnnKeyStateSerializer;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The heart of flink-rnn: a keyed operator that advances each key's LSTM/GRU by exactly one timestep per
 * observation, keeping the recurrent state of every layer in Flink keyed state, and batching the steps of
 * many keys into one kernel call.
 *
 * <p>Records are buffered in an {@link ObservationBundle} and stepped together when it holds {@code
 * batch.size} records, when the oldest has waited {@code batch.max-latency}, when a watermark arrives, in
 * {@link #prepareSnapshotPreBarrier} (so a checkpoint never holds half a bundle: buffered records are
 * stepped and their state written before the barrier passes) and at end of input. A flush reads each
 * distinct key's state once, steps the first record of every key as one batch, then the second record of
 * keys that appear twice, and so on (waves, in arrival order per key), and writes each state back once.
 *
 * <p>With event-time ordering ({@link ForecastSettings#eventTimeBound()}) a record first waits in keyed
 * state until the watermark passes its event time, then enters the bundle in event-time order; a record at
 * or behind the watermark when it arrives is a dead letter with reason LATE.
 *
 * <p>Because a key's result does not depend on the batch it was stepped in, the forecasts are the same
 * bits however records were bundled, and a replay after failover reproduces them exactly.
 */
public final class RnnStepOperator extends AbstractStreamOperator<Forecast>
        implements OneInputStreamOperator<Observation, Forecast>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    private final RnnModel model;
    private final ForecastSettings settings;
    private final boolean inputChecked;

    private transient ValueState<RnnKeyState> state;
    private transient ListState<Observation> pending;
    private transient InternalTimerService<VoidNamespace> eventTimers;
    private transient StepBackend backend;
    private transient ObservationBundle bundle;
    private transient StepBuffers buffers;
    private transient AnomalyScorer scorer;
    private transient OperatorMetrics metrics;
    private transient boolean timerPending;

    public RnnStepOperator(RnnModel model, ForecastSettings settings) {
        this(model, settings, false);
    }

    /**
     * @param inputChecked every record already passed {@link ObservationChecks} upstream (the event-time
     *     pipeline's {@link ObservationValidator}), so the operator does not check it again
     */
    RnnStepOperator(RnnModel model, ForecastSettings settings, boolean inputChecked) {
        this.model = model;
        this.settings = settings;
        this.inputChecked = inputChecked;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<RnnKeyState> descriptor =
                new ValueStateDescriptor<>("flink-rnn-state", RnnKeyStateSerializer.INSTANCE);
        if (settings.stateTtl != null) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(settings.stateTtl).updateTtlOnCreateAndWrite()
                    .neverReturnExpired().cleanupFullSnapshot().build());
        }
        state = getPartitionedState(descriptor);
        if (settings.eventTimeBound != null) {
            pending = getPartitionedState(new ListStateDescriptor<>("flink-rnn-pending",
                    new AvroTypeInfo<>(Observation.class)));
            eventTimers = getInternalTimerService("flink-rnn-event-order", VoidNamespaceSerializer.INSTANCE, this);
        }
        backend = Backends.open(model, settings.backend);
        bundle = new ObservationBundle(settings.batchSize);
        buffers = new StepBuffers(model, settings.batchSize);
        scorer = settings.anomalyTargets == null ? null : new AnomalyScorer(settings.anomalyTargets, model.horizon());
        metrics = new OperatorMetrics(getMetricGroup(), backend.info());
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        metrics.recordIn();
        Observation o = element.getValue();
        // Checked once, on arrival (or upstream): a record that enters the bundle or the event-time buffer is
        // well formed.
        ObservationChecks.Rejection bad = inputChecked ? null : ObservationChecks.check(o, model.inputSize());
        if (bad != null) {
            deadLetter(bad.reason, bad.message, o);
        } else if (eventTimers != null) {
            holdUntilWatermark(o);
        } else {
            addToBundle(o, element.hasTimestamp(), element.getTimestamp());
        }
    }

    /** Event-time mode: keep the record in keyed state until the watermark passes its event time. */
    private void holdUntilWatermark(Observation o) throws Exception {
        long t = o.getEventTime().toEpochMilli();
        long watermark = eventTimers.currentWatermark();
        if (t <= watermark) {
            deadLetter(DeadLetterReason.LATE, "event time " + o.getEventTime() + " arrived after the watermark "
                    + java.time.Instant.ofEpochMilli(watermark) + " (allowed out-of-orderness "
                    + settings.eventTimeBound + ")", o);
            return;
        }
        pending.add(o);
        eventTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, t);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        // The timer service made the timer's key current. Release this key's records up to the timer's
        // time, in event-time order (arrival order among equal times), and keep the rest waiting.
        long upTo = timer.getTimestamp();
        List<Observation> ready = new ArrayList<>();
        List<Observation> waiting = new ArrayList<>();
        Iterable<Observation> held = pending.get();
        if (held != null) {
            for (Observation o : held) {
                (o.getEventTime().toEpochMilli() <= upTo ? ready : waiting).add(o);
            }
        }
        pending.update(waiting);
        ready.sort(java.util.Comparator.comparing(Observation::getEventTime));
        for (Observation o : ready) {
            addToBundle(o, true, o.getEventTime().toEpochMilli());
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers are registered with this service
    }

    private void addToBundle(Observation o, boolean hasTimestamp, long timestamp) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        bundle.add(o, hasTimestamp, timestamp, now);
        if (bundle.isFull()) {
            flush(FlushCause.SIZE);
        } else if (bundle.size() == 1 && settings.maxLatencyMillis > 0 && !timerPending) {
            registerLatencyTimer(now + settings.maxLatencyMillis);
        }
    }

    private void registerLatencyTimer(long at) {
        timerPending = true;
        getProcessingTimeService().registerTimer(at, this::onLatencyTimer);
    }

    private void onLatencyTimer(long time) throws Exception {
        timerPending = false;
        if (bundle.isEmpty()) {
            return;
        }
        long due = bundle.firstArrivalMillis() + settings.maxLatencyMillis;
        if (time >= due) {
            flush(FlushCause.LATENCY);
        } else {
            registerLatencyTimer(due);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (eventTimers != null) {
            // Fire the event-time timers first (they move held records into the bundle), then flush, then let
            // the superclass emit the watermark; advancing twice to the same watermark fires nothing new.
            getTimeServiceManager().orElseThrow().advanceWatermark(mark);
        }
        if (!bundle.isEmpty()) {
            flush(FlushCause.WATERMARK);
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        if (!bundle.isEmpty()) {
            flush(FlushCause.BARRIER);
        }
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        if (!bundle.isEmpty()) {
            flush(FlushCause.END_OF_INPUT);
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (backend != null) {
            backend.close();
        }
        super.close();
    }

    /** Steps every buffered record, in waves, and emits one forecast (or dead letter) per record. */
    private void flush(FlushCause cause) throws Exception {
        int n = bundle.size();
        metrics.flushed(cause, n);
        BundleWaves waves = BundleWaves.of(n, i -> bundle.record(i).getKey());
        KeySlot[] slots = new KeySlot[waves.keyCount()];
        for (int k = 0; k < slots.length; k++) {
            String key = bundle.record(waves.firstRow(k)).getKey();
            slots[k] = new KeySlot(key, readState(key));
        }
        List<KeySlot> wave = new ArrayList<>(slots.length);
        List<Integer> rows = new ArrayList<>(slots.length);
        for (int w = 0; w < waves.waveCount(); w++) {
            wave.clear();
            rows.clear();
            for (int k = 0; k < slots.length; k++) {
                int row = waves.row(k, w);
                if (row >= 0 && admit(slots[k], row)) {
                    wave.add(slots[k]);
                    rows.add(row);
                }
            }
            if (!wave.isEmpty()) {
                stepWave(wave, rows);
            }
        }
        for (KeySlot slot : slots) {
            if (slot.dirty) {
                setCurrentKey(slot.key);
                state.update(slot.state);
            }
        }
        bundle.clear();
    }

    private RnnKeyState readState(String key) throws Exception {
        setCurrentKey(key);
        RnnKeyState s = state.value();
        if (s == null) {
            metrics.keyStarted();
            return RnnKeyState.fresh(model.stateSize());
        }
        if (s.recurrent().length != model.stateSize()) {
            throw new IllegalStateException("key '" + key + "' has a saved state of " + s.recurrent().length
                    + " floats but model " + settings.modelId + ":" + settings.modelVersion + " (" + model.describe()
                    + ") needs " + model.stateSize() + ": a savepoint of another model shape cannot be resumed");
        }
        return s;
    }

    /**
     * The event-time rules that need the key's state (the stateless checks ran on arrival); a rejected record
     * becomes a dead letter.
     */
    private boolean admit(KeySlot slot, int i) {
        Observation o = bundle.record(i);
        long t = o.getEventTime().toEpochMilli();
        long last = slot.state.lastEventTime();
        if (last != RnnKeyState.NO_EVENT_TIME) {
            if (t < last && settings.timeOrder == TimeOrderPolicy.REJECT) {
                deadLetter(DeadLetterReason.TIME_WENT_BACKWARDS, "event time " + o.getEventTime()
                        + " is before the key's last step at " + java.time.Instant.ofEpochMilli(last), o);
                return false;
            }
            if (t == last && settings.duplicates == DuplicatePolicy.REJECT) {
                deadLetter(DeadLetterReason.DUPLICATE_EVENT_TIME, "the key already stepped at event time "
                        + o.getEventTime(), o);
                return false;
            }
        }
        return true;
    }

    private void stepWave(List<KeySlot> wave, List<Integer> rows) {
        int b = 0;
        for (KeySlot slot : wave) {
            buffers.load(b, bundle.record(rows.get(b)), slot.state.recurrent());
            b++;
        }
        long start = System.nanoTime();
        backend.step(b, buffers.inputs, buffers.states, buffers.outputs);
        metrics.stepped(b, System.nanoTime() - start);
        b = 0;
        for (KeySlot slot : wave) {
            int i = rows.get(b);
            Observation o = bundle.record(i);
            buffers.storeState(b, slot.state.recurrent());
            slot.state.stepped(o.getEventTime().toEpochMilli());
            slot.dirty = true;
            List<Float> values = buffers.outputs(b);
            Float score = null;
            if (scorer != null) {
                score = scorer.scoreAndLearn(slot.state, o.getValues());
                scorer.remember(slot.state, values);
            }
            // The all-args constructor: the builder resolves schema defaults on every record.
            Forecast f = new Forecast(o.getKey(), o.getEventTime(), settings.modelId, settings.modelVersion,
                    model.horizon(), values, metrics.backendName(), score);
            if (bundle.hasTimestamp(i)) {
                output.collect(new StreamRecord<>(f, bundle.timestamp(i)));
            } else {
                output.collect(new StreamRecord<>(f));
            }
            metrics.forecastOut();
            b++;
        }
    }

    private void deadLetter(DeadLetterReason reason, String message, Observation o) {
        metrics.deadLetter(reason);
        output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(reason, message, o,
                getProcessingTimeService().getCurrentProcessingTime())));
    }

    /** One distinct key of a flush: its state, read once and written back once. */
    private static final class KeySlot {
        final String key;
        final RnnKeyState state;
        boolean dirty;

        KeySlot(String key, RnnKeyState state) {
            this.key = key;
            this.state = state;
        }
    }
}
