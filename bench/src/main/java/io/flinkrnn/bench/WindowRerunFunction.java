package io.flinkrnn.bench;

import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The usual alternative to keeping recurrent state: keep each key's last {@code window} observations in
 * keyed state and, on every event, run them through the same model from zero state. Same kernels (the
 * Java backend), one key per call, as a window re-run does. Single-feature input.
 */
final class WindowRerunFunction extends KeyedProcessFunction<String, Observation, Forecast> {
    private static final long serialVersionUID = 1L;
    private final RnnModel model;
    private final int window;
    private transient ValueState<float[]> history;
    private transient StepBackend backend;
    private transient float[] state;
    private transient float[] x;
    private transient float[] y;

    WindowRerunFunction(RnnModel model, int window) {
        this.model = model;
        this.window = window;
    }

    @Override
    public void open(OpenContext ctx) {
        history = getRuntimeContext().getState(new ValueStateDescriptor<>("window",
                PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        backend = new CpuStepBackend(model, 1, "window re-run baseline");
        state = new float[model.stateSize()];
        x = new float[1];
        y = new float[model.outputSize()];
    }

    @Override
    public void processElement(Observation o, Context ctx, Collector<Forecast> out) throws Exception {
        // [0, window) values, oldest first; [window] = how many are filled
        float[] h = history.value();
        if (h == null) {
            h = new float[window + 1];
        }
        int filled = (int) h[window];
        if (filled == window) {
            System.arraycopy(h, 1, h, 0, window - 1);
            h[window - 1] = o.getValues().get(0);
        } else {
            h[filled] = o.getValues().get(0);
            h[window] = ++filled;
        }
        history.update(h);
        java.util.Arrays.fill(state, 0f);
        for (int t = 0; t < filled; t++) {
            x[0] = h[t];
            backend.step(1, x, state, y);
        }
        out.collect(Forecast.newBuilder().setKey(o.getKey()).setEventTime(o.getEventTime()).setModelId("window")
                .setModelVersion("1").setHorizon(1).setValues(List.of(y[0])).setBackend("java").build());
    }

    @Override
    public void close() {
        if (backend != null) {
            backend.close();
        }
    }
}
