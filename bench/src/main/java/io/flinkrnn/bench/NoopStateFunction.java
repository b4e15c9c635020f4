package io.flinkrnn.bench;

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
 * The floor a stateful per-key operator cannot beat: per event, read and write a {@code float[]} of the
 * recurrent state's size in keyed state, and emit the same Forecast record the RNN operator emits.
 */
final class NoopStateFunction extends KeyedProcessFunction<String, Observation, Forecast> {
    private static final long serialVersionUID = 1L;
    private final int stateSize;
    private transient ValueState<float[]> state;

    NoopStateFunction(int stateSize) {
        this.stateSize = stateSize;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("noop",
                PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(Observation o, Context ctx, Collector<Forecast> out) throws Exception {
        float[] s = state.value();
        if (s == null) {
            s = new float[stateSize];
        }
        s[0] += o.getValues().get(0);
        state.update(s);
        out.collect(Forecast.newBuilder().setKey(o.getKey()).setEventTime(o.getEventTime()).setModelId("noop")
                .setModelVersion("1").setHorizon(1).setValues(List.of(s[0])).setBackend("none").build());
    }
}
