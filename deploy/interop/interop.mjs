// Confluent's own JavaScript serializer (@confluentinc/schemaregistry) and kafkajs against the flink-rnn job:
// produce framed readings whose schema evolves mid-stream, read back the framed forecasts and dead letters.
// Run by registry-interop.sh, which starts the broker, the registry and the job and passes their addresses.
// Last line: interop sent=N forecasts=N duplicates=0 missing=0 dead_letters=1 ... verdict=ok|FAILED
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistryClient, SerdeType, AvroSerializer, AvroDeserializer } from '@confluentinc/schemaregistry';

const [bootstrap, registryUrl, keysArg, stepsArg] = process.argv.slice(2);
const keys = Number(keysArg ?? 10);
const steps = Number(stepsArg ?? 100);
const topics = { in: 'readings', out: 'forecasts', dead: 'dead-letters' };

// v1 as a producer first writes it; v2 inserts a field after the key, as in issue 33's report.
const v1 = { type: 'record', name: 'Reading', namespace: 'com.example.plant', fields: [
  { name: 'sensor_id', type: 'string' },
  { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
  { name: 'temperature', type: 'double' } ] };
const v2 = { ...v1, fields: [v1.fields[0], { name: 'unit', type: 'string', default: 'C' }, v1.fields[1], v1.fields[2]] };

const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });
const kafka = new Kafka({ clientId: 'interop', brokers: [bootstrap], logLevel: logLevel.WARN });
const start = Date.now() - 3_600_000;

async function produce() {
  const producer = kafka.producer();
  await producer.connect();
  const subject = `${topics.in}-value`;
  const id1 = await registry.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(v1) });
  let ser = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
  let id2 = null;
  const sent = [];
  for (let s = 0; s < steps; s++) {
    if (s === steps / 2) {
      id2 = await registry.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(v2) });
      ser = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
    }
    const messages = [];
    for (let k = 0; k < keys; k++) {
      const reading = { sensor_id: `sensor-${k}`, ts: start + s * 1000, temperature: 20 + 5 * Math.sin(s / 7 + k) };
      if (id2 !== null) reading.unit = 'C';
      messages.push({ key: reading.sensor_id, value: await ser.serialize(topics.in, reading) });
      sent.push(`${reading.sensor_id}@${reading.ts}`);
    }
    await producer.send({ topic: topics.in, messages });
  }
  // A record framed with an id the registry never gave out: a dead letter UNKNOWN_SCHEMA_ID, not a failure.
  const unknown = Buffer.from([0, 0x7f, 0, 0, 1, 2, 3]);
  await producer.send({ topic: topics.in, messages: [{ key: 'sensor-0', value: unknown }] });
  await producer.disconnect();
  return { sent, id1, id2 };
}

async function consume(topic, expected, timeoutMs) {
  const consumer = kafka.consumer({ groupId: `interop-${topic}-${Date.now()}`, readUncommitted: false });
  const deser = new AvroDeserializer(registry, SerdeType.VALUE, {});
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = [];
  const ids = new Set();
  await consumer.run({ eachMessage: async ({ message }) => {
    ids.add(message.value.readInt32BE(1));
    got.push(await deser.deserialize(topic, message.value));
  } });
  const until = Date.now() + timeoutMs;
  while (got.length < expected && Date.now() < until) await new Promise(r => setTimeout(r, 200));
  await new Promise(r => setTimeout(r, 2000)); // anything past the expected count
  await consumer.disconnect();
  return { got, ids: [...ids] };
}

const { sent, id1, id2 } = await produce();
console.log(`interop: produced ${sent.length} readings with Confluent's AvroSerializer (schema ids ${id1} then ${id2}) and 1 unknown id`);
const forecasts = await consume(topics.out, sent.length, 120_000);
const dead = await consume(topics.dead, 1, 30_000);
const seen = new Map();
for (const f of forecasts.got) {
  const k = `${f.key}@${Number(f.eventTime)}`;
  seen.set(k, (seen.get(k) ?? 0) + 1);
}
const duplicates = [...seen.values()].filter(n => n > 1).length;
const missing = sent.filter(k => !seen.has(k)).length;
const reasons = dead.got.map(d => d.reason).join(',');
const latest = await registry.getLatestSchemaMetadata(`${topics.out}-value`);
const sample = forecasts.got[0];
const ok = forecasts.got.length === sent.length && duplicates === 0 && missing === 0 && reasons === 'UNKNOWN_SCHEMA_ID'
  && forecasts.ids.length === 1 && forecasts.ids[0] === latest.id && Array.isArray(sample?.values);
console.log(`interop: sample forecast ${JSON.stringify(sample)}`);
console.log(`interop sent=${sent.length} forecasts=${forecasts.got.length} duplicates=${duplicates} missing=${missing}`
  + ` dead_letters=${dead.got.length} reasons=${reasons} forecast_schema_ids=${forecasts.ids.join(',')}`
  + ` subject=${topics.out}-value(id ${latest.id}) verdict=${ok ? 'ok' : 'FAILED'}`);
process.exit(ok ? 0 : 1);
