package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A stream of good observations with hostile records interleaved, and what the job must make of each: the
 * records in Kafka order, the good ones alone (for the run they must match bit for bit), and the dead-letter
 * reason each bad kind must get. Good records: {@code keys} series of {@code steps} rows, two values each,
 * one minute apart, ending a day before {@code now}. After row 2 of a key, every {@code badEvery}-th good
 * record is followed by one bad record, the kinds taken in turn; kinds that need a key's history (a
 * duplicate, time going back, a clock a day ahead) use the key of the good record just written.
 */
final class HostileCorpus {
    /** One kind of bad record: its name, its reason, and how to make one after {@code last}. */
    private interface Kind {
        byte[][] make(Observation last, SplittableRandom rnd);
    }

    /** {@code max}: how many of this kind at most (the large ones are few, to keep the corpus in memory). */
    private record Named(String name, DeadLetterReason reason, Kind kind, int max) {
        Named(String name, DeadLetterReason reason, Kind kind) {
            this(name, reason, kind, Integer.MAX_VALUE);
        }
    }

    final List<byte[][]> records = new ArrayList<>();
    final List<byte[][]> good = new ArrayList<>();
    final Map<DeadLetterReason, Integer> expected = new TreeMap<>();
    final Map<String, Integer> kinds = new TreeMap<>();
    int goodCount;
    int badCount;

    private final AvroCodec<Observation> avro = new AvroCodec<>(Observation.class);
    private final long now;

    private HostileCorpus(long now) {
        this.now = now;
    }

    static HostileCorpus avro(int keys, int steps, int badEvery, long now, long seed) {
        HostileCorpus c = new HostileCorpus(now);
        c.generate(keys, steps, badEvery, seed, c.avroKinds(), c::encodeAvro);
        return c;
    }

    static HostileCorpus json(int keys, int steps, int badEvery, long now, long seed) {
        HostileCorpus c = new HostileCorpus(now);
        c.generate(keys, steps, badEvery, seed, c.jsonKinds(), HostileCorpus::encodeJson);
        return c;
    }

    private void generate(int keys, int steps, int badEvery, long seed, List<Named> bad,
            java.util.function.Function<Observation, byte[]> encode) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long t0 = now - 86_400_000L - steps * 60_000L;
        int sinceBad = 0;
        int next = 0;
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < keys; k++) {
                Observation o = observation("s" + k, t0 + s * 60_000L, (float) Math.sin(0.05 * s + k),
                        (float) Math.cos(0.02 * s * (k % 5 + 1)));
                byte[][] kv = {bytes(o.getKey()), encode.apply(o)};
                records.add(kv);
                good.add(kv);
                goodCount++;
                if (s >= 2 && ++sinceBad == badEvery) {
                    sinceBad = 0;
                    Named n = bad.get(next++ % bad.size());
                    while (kinds.getOrDefault(n.name, 0) >= n.max) {
                        n = bad.get(next++ % bad.size());
                    }
                    records.add(n.kind.make(o, rnd));
                    expected.merge(n.reason, 1, Integer::sum);
                    kinds.merge(n.name, 1, Integer::sum);
                    badCount++;
                }
            }
        }
    }

    static Observation observation(String key, long time, float... values) {
        List<Float> v = new ArrayList<>(values.length);
        for (float x : values) {
            v.add(x);
        }
        return Observation.newBuilder().setKey(key).setEventTime(Instant.ofEpochMilli(time)).setValues(v).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encodeAvro(Observation o) {
        return avro.encode(o);
    }

    private static byte[] encodeJson(Observation o) {
        StringBuilder b = new StringBuilder("{\"key\":\"").append(o.getKey()).append("\",\"eventTime\":")
                .append(o.getEventTime().toEpochMilli()).append(",\"values\":[");
        for (int i = 0; i < o.getValues().size(); i++) {
            b.append(i == 0 ? "" : ",").append(o.getValues().get(i));
        }
        return bytes(b.append("]}").toString());
    }

    private Observation with(Observation last, long time, List<Float> values) {
        return Observation.newBuilder(last).setEventTime(Instant.ofEpochMilli(time)).setValues(values).build();
    }

    private byte[][] avroOf(Observation o) {
        return new byte[][] {bytes(o.getKey().length() > 64 ? "long" : o.getKey()), avro.encode(o)};
    }

    private static byte[] random(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    private static void zigzag(ByteArrayOutputStream out, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
    }

    private List<Named> avroKinds() {
        List<Float> two = List.of(0.5f, 0.25f);
        long oneMiB = 1 << 20;
        return List.of(
                new Named("random bytes", DeadLetterReason.UNDECODABLE, (l, r) -> {
                    byte[] b = random(r, 5 + r.nextInt(200));
                    b[0] = 0x01; // a negative string length: never a valid Observation, whatever follows
                    return new byte[][] {bytes(l.getKey()), b};
                }),
                new Named("truncated Avro", DeadLetterReason.UNDECODABLE, (l, r) -> {
                    byte[] full = avro.encode(l);
                    return new byte[][] {bytes(l.getKey()), Arrays.copyOf(full, 1 + r.nextInt(full.length - 1))};
                }),
                new Named("Avro of another schema", DeadLetterReason.UNDECODABLE, (l, r) -> {
                    // A Forecast: a string, a long, two strings, an int, an array... as an Observation it has
                    // bytes left over, and the codec refuses trailing bytes. The model id's length is fixed (9):
                    // read as the values' block count it decides how the rest is read, and with ids of random
                    // length a few records happened to end exactly, as an Observation with a wrong value count.
                    Forecast f = new Forecast(l.getKey(), l.getEventTime(), "model-" + (100 + r.nextInt(900)), "v1", 1,
                            List.of(1f), "java", null, null, null, null, null, null, null, null);
                    return new byte[][] {bytes(l.getKey()), new AvroCodec<>(Forecast.class).encode(f)};
                }),
                new Named("Avro of a dead letter", DeadLetterReason.UNDECODABLE, (l, r) -> {
                    DeadLetter d = DeadLetter.newBuilder().setReason(DeadLetterReason.OTHER).setMessage("x".repeat(
                            40 + r.nextInt(40))).setTime(l.getEventTime()).build();
                    return new byte[][] {bytes(l.getKey()), new AvroCodec<>(DeadLetter.class).encode(d)};
                }),
                new Named("empty value", DeadLetterReason.UNDECODABLE, (l, r) -> new byte[][] {bytes(l.getKey()),
                    new byte[0]}),
                new Named("tombstone", DeadLetterReason.UNDECODABLE, (l, r) -> new byte[][] {bytes(l.getKey()), null}),
                new Named("array claiming 2^30 floats", DeadLetterReason.UNDECODABLE, (l, r) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    zigzag(out, 1);
                    out.write('k');
                    zigzag(out, l.getEventTime().toEpochMilli());
                    zigzag(out, 1L << 30);
                    out.writeBytes(random(r, 16));
                    return new byte[][] {bytes(l.getKey()), out.toByteArray()};
                }),
                new Named("record over 1 MiB", DeadLetterReason.RECORD_TOO_LARGE, (l, r) -> new byte[][] {
                    bytes(l.getKey()), random(r, (int) oneMiB + 1 + r.nextInt(1000))}, 5),
                new Named("Kafka key over 1 MiB", DeadLetterReason.RECORD_TOO_LARGE, (l, r) -> new byte[][] {
                    random(r, (int) oneMiB + 10), avro.encode(l)}, 5),
                new Named("empty key", DeadLetterReason.MISSING_KEY, (l, r) -> avroOf(Observation.newBuilder(l)
                        .setKey("").build())),
                new Named("200 KB key", DeadLetterReason.BAD_KEY, (l, r) -> avroOf(Observation.newBuilder(l)
                        .setKey("K".repeat(200_000)).build()), 20),
                new Named("control-character key", DeadLetterReason.BAD_KEY, (l, r) -> avroOf(
                        Observation.newBuilder(l).setKey(l.getKey() + "\u0000" + (char) (1 + r.nextInt(31))).build())),
                new Named("invalid UTF-8 key", DeadLetterReason.BAD_KEY, (l, r) -> {
                    byte[] b = avro.encode(Observation.newBuilder(l).setKey("ab").build());
                    b[1] = (byte) 0xC3; // 0xC3 0x28: a two-byte sequence whose second byte is not a continuation
                    b[2] = 0x28;
                    return new byte[][] {bytes(l.getKey()), b};
                }),
                new Named("NaN value", DeadLetterReason.NON_FINITE_VALUE, (l, r) -> avroOf(with(l,
                        l.getEventTime().toEpochMilli() + 1, List.of(Float.NaN, 1f)))),
                new Named("infinite value", DeadLetterReason.NON_FINITE_VALUE, (l, r) -> avroOf(with(l,
                        l.getEventTime().toEpochMilli() + 1, List.of(1f, r.nextBoolean() ? Float.POSITIVE_INFINITY
                                : Float.NEGATIVE_INFINITY)))),
                new Named("wrong value count", DeadLetterReason.WRONG_VALUE_COUNT, (l, r) -> avroOf(with(l,
                        l.getEventTime().toEpochMilli() + 1, r.nextBoolean() ? List.of(1f) : List.of(1f, 2f, 3f)))),
                new Named("100,000 values", DeadLetterReason.TOO_MANY_VALUES, (l, r) -> avroOf(with(l,
                        l.getEventTime().toEpochMilli() + 1, java.util.Collections.nCopies(100_000, 1f))), 10),
                new Named("negative time", DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, (l, r) -> avroOf(with(l,
                        -1 - r.nextInt(1_000_000), two))),
                new Named("time Long.MIN_VALUE", DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, (l, r) -> avroOf(with(l,
                        Long.MIN_VALUE, two))),
                new Named("time Long.MAX_VALUE", DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, (l, r) -> avroOf(with(l,
                        Long.MAX_VALUE, two))),
                new Named("clock a day ahead", DeadLetterReason.EVENT_TIME_AHEAD, (l, r) -> avroOf(with(l,
                        now + 86_400_000L + r.nextInt(1_000_000), two))),
                new Named("year 9999", DeadLetterReason.EVENT_TIME_AHEAD, (l, r) -> avroOf(with(l,
                        Instant.parse("9999-12-31T00:00:00Z").toEpochMilli(), two))),
                new Named("duplicate", DeadLetterReason.DUPLICATE_EVENT_TIME, (l, r) -> avroOf(with(l,
                        l.getEventTime().toEpochMilli(), two))),
                new Named("time going back", DeadLetterReason.TIME_WENT_BACKWARDS, (l, r) -> avroOf(with(l,
                        l.getEventTime().toEpochMilli() - 60_000L * (1 + r.nextInt(2)), two))));
    }

    private List<Named> jsonKinds() {
        return List.of(
                new Named("JSON array, not an object", DeadLetterReason.UNDECODABLE, (l, r) -> json(l, "[1,2,3]")),
                new Named("JSON string, not an object", DeadLetterReason.UNDECODABLE, (l, r) -> json(l, "\"s\"")),
                new Named("not JSON", DeadLetterReason.UNDECODABLE, (l, r) -> json(l, "{key: s1, values")),
                new Named("no eventTime", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"values\":[1,2]}")),
                new Named("no values", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5}")),
                new Named("key of the wrong type", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":17,\"eventTime\":5,\"values\":[1,2]}")),
                new Named("values of the wrong type", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5,\"values\":{\"a\":1}}")),
                new Named("numbers as strings", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5,\"values\":[\"1.5\",\"2\"]}")),
                new Named("eventTime past a long", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":123456789012345678901234,\"values\":[1,2]}")),
                new Named("NaN token", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5,\"values\":[NaN,2]}")),
                new Named("10,000-level nesting", DeadLetterReason.UNDECODABLE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5,\"x\":" + "[".repeat(10_000)
                                + "]".repeat(10_000) + ",\"values\":[1,2]}"), 50),
                new Named("1 MB string", DeadLetterReason.RECORD_TOO_LARGE, (l, r) -> json(l,
                        "{\"key\":\"" + "x".repeat(1 << 20) + "\",\"eventTime\":5,\"values\":[1,2]}"), 5),
                new Named("10^6-element array", DeadLetterReason.RECORD_TOO_LARGE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5,\"values\":[" + "0,".repeat(999_999)
                                + "0]}"), 3),
                new Named("2,000 values", DeadLetterReason.TOO_MANY_VALUES, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":5,\"values\":[" + "0,".repeat(1_999) + "0]}")),
                new Named("1e999 value", DeadLetterReason.NON_FINITE_VALUE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":" + (l.getEventTime().toEpochMilli() + 1)
                                + ",\"values\":[1e999,2]}")),
                new Named("control-character key", DeadLetterReason.BAD_KEY, (l, r) -> json(l,
                        "{\"key\":\"a\\u0001b\",\"eventTime\":5,\"values\":[1,2]}")),
                new Named("negative time", DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":-5,\"values\":[1,2]}")),
                new Named("clock a day ahead", DeadLetterReason.EVENT_TIME_AHEAD, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":\"" + Instant.ofEpochMilli(now + 86_400_000L)
                                + "\",\"values\":[1,2]}")),
                new Named("time going back", DeadLetterReason.TIME_WENT_BACKWARDS, (l, r) -> json(l,
                        "{\"key\":\"" + l.getKey() + "\",\"eventTime\":" + (l.getEventTime().toEpochMilli() - 60_000L)
                                + ",\"values\":[1,2]}")));
    }

    private static byte[][] json(Observation last, String text) {
        return new byte[][] {bytes(last.getKey()), bytes(text)};
    }
}
