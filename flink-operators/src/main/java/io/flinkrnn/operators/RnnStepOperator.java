package io.flinkrnn.operators;

import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.operators.bundle.BundleFlush;
import io.flinkrnn.operators.bundle.BundleTrigger;
import io.flinkrnn.operators.bundle.FlushCause;
import io.flinkrnn.operators.bundle.ObservationBundle;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.operators.update.ModelUpdateLoader;
import io.flinkrnn.operators.update.ModelUpdates;
import io.flinkrnn.operators.update.ModelVersions;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
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
 * stepped and their state written before the barrier passes) and at end of input. Split the way Flink
 * SQL's mini-batch operators are: this class is the lifecycle and Flink's part (state, timers, records,
 * metrics), {@link BundleTrigger} says when, and {@link BundleFlush} with the Flink-free {@link KeyStepper}
 * says what: each distinct key's state is read once, the keys' rows are stepped in waves (the first record
 * of every key as one batch, then the second of keys that appear twice, ...), each state is written once.
 * A key whose state was written in another layout (other settings, an older savepoint) keeps every part the two
 * share; parts that start fresh are counted in {@code statePartsStartedFresh.<part>} and logged.
 *
 * <p>With event-time ordering ({@link ForecastSettings#eventTimeBound()}) a record first waits in keyed
 * state until the watermark passes its event time, then enters the bundle in event-time order; a record at
 * or behind the watermark when it arrives is a dead letter with reason LATE.
 *
 * <p>With model updates ({@link ModelUpdates}), the operator reads the update feed before a flush that reaches a
 * new period of event time, keeps the accepted models and the feed's positions in union operator state, and
 * steps each row with the version the switch rule gives it.
 *
 * <p>Because a key's result does not depend on the batch it was stepped in, the forecasts are the same
 * bits however records were bundled, and a replay after failover reproduces them exactly.
 */
public final class RnnStepOperator extends AbstractStreamOperator<Forecast>
        implements OneInputStreamOperator<Observation, Forecast>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    private final ForecastModel model;
    private final ForecastSettings settings;
    private final boolean inputChecked;
    private final BundleTrigger trigger;

    private transient ValueState<KeyState> state;
    private transient ValueState<float[]> history;
    private transient ListState<Observation> pending;
    private transient InternalTimerService<VoidNamespace> eventTimers;
    private transient KeyStepper stepper;
    private transient ModelVersions versions;
    private transient ModelUpdates updates;
    private transient ListState<byte[]> updateState;
    private transient List<byte[]> restoredUpdates;
    private transient ObservationBundle bundle;
    private transient BundleFlush flush;
    private transient KeyStateStore keyStates;
    private transient BundleFlush.Output outputs;
    private transient OperatorMetrics metrics;
    private transient ModelUpdateMetrics updateMetrics;

    public RnnStepOperator(ForecastModel model, ForecastSettings settings) {
        this(model, settings, false);
    }

    /**
     * @param inputChecked every record already passed {@link ObservationChecks} upstream (the event-time
     *     pipeline's {@link ObservationValidator}), so the operator does not check it again
     */
    RnnStepOperator(ForecastModel model, ForecastSettings settings, boolean inputChecked) {
        this.model = model;
        this.settings = settings;
        this.inputChecked = inputChecked;
        this.trigger = new BundleTrigger(settings.batchSize(), settings.maxLatencyMillis());
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        if (settings.modelUpdates() != null) {
            // Union state: after a restore, or a rescale, every instance gets what every former one saved.
            updateState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(
                    "flink-rnn-model-updates", BytePrimitiveArraySerializer.INSTANCE));
            restoredUpdates = new ArrayList<>();
            if (context.isRestored()) {
                for (byte[] b : updateState.get()) {
                    restoredUpdates.add(b);
                }
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (updates != null) {
            updateState.update(List.of(updates.snapshot()));
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        state = getPartitionedState(OperatorKeyStates.stateDescriptor(settings.stateTtl()));
        // A key's history apart from its state: written once per ROWS_PER_HISTORY_WRITE rows, not with every row.
        history = getPartitionedState(OperatorKeyStates.historyDescriptor(settings.stateTtl()));
        if (settings.eventTimeBound() != null) {
            pending = getPartitionedState(new ListStateDescriptor<>("flink-rnn-pending",
                    new AvroTypeInfo<>(Observation.class)));
            eventTimers = getInternalTimerService("flink-rnn-event-order", VoidNamespaceSerializer.INSTANCE, this);
        }
        stepper = openStepper(model);
        versions = new ModelVersions(stepper, settings.modelVersion(), this::openStepper);
        bundle = new ObservationBundle(settings.batchSize());
        trigger.open(this::flush, getProcessingTimeService());
        metrics = new OperatorMetrics(getMetricGroup(), stepper.backendInfo());
        flush = new BundleFlush(versions, settings.modelUpdates() != null, settings.modelId(), metrics.backendName());
        if (settings.modelUpdates() != null) {
            openModelUpdates();
        }
        keyStates = new OperatorKeyStates(state, history, this::setCurrentKey, metrics);
        outputs = new BundleFlush.Output() {
            @Override
            public void forecast(int row, Forecast f) {
                if (bundle.hasTimestamp(row)) {
                    output.collect(new StreamRecord<>(f, bundle.timestamp(row)));
                } else {
                    output.collect(new StreamRecord<>(f));
                }
                metrics.forecastOut();
            }

            @Override
            public void rejected(int row, DeadLetterReason reason, String message) {
                deadLetter(reason, message, bundle.record(row));
            }

            @Override
            public void switched(String key, long version, KeyStepper.Adopted what) {
                updateMetrics.switched(what);
            }
        };
    }

    private KeyStepper openStepper(ForecastModel m) {
        KeyStepper s = new KeyStepper(m, settings.stepper(), Backends.open(m.network(), settings.backend()),
                settings.batchSize());
        s.freshParts().listener(p -> metrics.partStartedFresh(p));
        return s;
    }

    private void openModelUpdates() throws Exception {
        updateMetrics = new ModelUpdateMetrics(getMetricGroup(), () -> versions.newest());
        String instance = "subtask " + (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1) + " of "
                + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        updates = new ModelUpdates(settings.modelUpdates(), new ModelUpdateLoader(settings.modelId(), model,
                settings.stepper(), settings.switchGranularity().toMillis()), versions, new ModelUpdateReports(instance,
                updateMetrics, d -> output.collect(DeadLetters.TAG, new StreamRecord<>(d)),
                () -> getProcessingTimeService().getCurrentProcessingTime()));
        updates.restore(restoredUpdates);
        restoredUpdates = null;
        updates.open();
    }

    @Override
    public void processElement(StreamRecord<Observation> element) throws Exception {
        metrics.recordIn();
        Observation o = element.getValue();
        // Checked once, on arrival (or upstream): a record that enters the bundle or the event-time buffer is
        // well formed.
        ObservationChecks.Rejection bad = inputChecked ? null : ObservationChecks.check(o, model.featureCount(),
                settings.limits(), element.hasTimestamp() ? element.getTimestamp()
                        : getProcessingTimeService().getCurrentProcessingTime());
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
                    + settings.eventTimeBound() + ")", o);
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
        bundle.add(o, hasTimestamp, timestamp);
        trigger.onElement();
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
        if (updates != null) {
            updates.close();
        }
        if (versions != null) {
            versions.close();
        } else if (stepper != null) {
            stepper.close();
        }
        super.close();
    }

    /** Steps every buffered record and emits one forecast (or dead letter) per record, in arrival order. */
    private void flush(FlushCause cause) throws Exception {
        metrics.flushed(cause, bundle.size());
        long latest = Long.MIN_VALUE;
        if (updates != null) {
            for (int i = 0; i < bundle.size(); i++) {
                latest = Math.max(latest, bundle.record(i).getEventTime().toEpochMilli());
            }
            updates.beforeStepping(latest);
        }
        BundleFlush.Stats done = flush.flush(bundle, keyStates, outputs);
        if (updates != null) {
            updates.stepped(latest);
        }
        metrics.stepped(done);
        bundle.clear();
        trigger.reset();
    }

    private void deadLetter(DeadLetterReason reason, String message, Observation o) {
        metrics.deadLetter(reason);
        output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(reason, message, o,
                getProcessingTimeService().getCurrentProcessingTime())));
    }
}
