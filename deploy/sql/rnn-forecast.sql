-- Forecasts, intervals and anomaly flags for every sensor of a Kafka topic, from Flink SQL:
--   deploy/local-cluster/cluster.sh sql deploy/sql/rnn-forecast.sql
-- Readings are JSON records of your own shape ({"sensor": "s1", "value": 101.5, "event_time": 1767225600000});
-- forecasts go to another topic, exactly once. Replace the three ${...} below (deploy/local-cluster/sql-check.sh
-- does it for its own run): the model (any URI Flink's FileSystem reads), the flink-rnn job jar, the brokers.
SET 'execution.checkpointing.interval' = '2s';
SET 'parallelism.default' = '2';
SET 'pipeline.name' = 'rnn-forecast-sql';
-- No copy of each row between chained operators: RNN_FORECAST keeps no row it is given or emits, and the query runs
-- about 1.1-1.2x the rows per second (docs/BENCHMARKS.md).
SET 'pipeline.object-reuse' = 'true';

CREATE FUNCTION RNN_FORECAST AS 'io.flinkrnn.sql.RnnForecast' USING JAR '${JOB_JAR}';

CREATE TABLE readings (
  sensor STRING,
  `value` DOUBLE,
  event_time BIGINT,
  ts AS TO_TIMESTAMP_LTZ(event_time, 3),
  WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = 'sql-readings',
  'properties.bootstrap.servers' = '${KAFKA}',
  'properties.group.id' = 'rnn-forecast-sql',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json'
);

CREATE TABLE forecasts (
  sensor STRING,
  forecast_value FLOAT,
  lower_bound FLOAT,
  upper_bound FLOAT,
  forecast ARRAY<ROW<step INT, target STRING, forecast_value FLOAT, lower_bound FLOAT, upper_bound FLOAT>>,
  actual_value FLOAT,
  anomaly_score FLOAT,
  is_anomaly BOOLEAN,
  model_version STRING,
  error STRING,
  is_anomalous BOOLEAN,
  anomaly_cause STRING,
  rowtime TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'sql-forecasts',
  'properties.bootstrap.servers' = '${KAFKA}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'rnn-forecast-sql',
  'properties.transaction.timeout.ms' = '600000'
);

-- For a new query whose keys live for good, add state_ttl => '0' to the call: no TTL and none of its work per row
-- (about 1.4x the rows per second). '7 d' expires idle keys, and without the argument table.exec.state.ttl applies.
-- Decide before the first savepoint: Flink lays the state out differently with and without a TTL, so a savepoint
-- taken without the argument does not restore into a query with '0', nor the other way round.
INSERT INTO forecasts
SELECT * FROM RNN_FORECAST(
  input => TABLE readings PARTITION BY sensor,
  model => '${MODEL_URI}',
  features => DESCRIPTOR(`value`),
  on_time => DESCRIPTOR(ts),
  uid => 'rnn-forecast');
