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

-- Every sensor's state is kept for good; add state_ttl => '7 d' to the call to forget sensors idle for a week
-- (table.exec.state.ttl does not apply to RNN_FORECAST). A TTL can be added or dropped when the query is restored
-- from a savepoint; a TTL costs its bookkeeping on every row (docs/BENCHMARKS.md). Earlier versions applied
-- table.exec.state.ttl: a query that relied on it must add state_ttl when it is restored.
INSERT INTO forecasts
SELECT * FROM RNN_FORECAST(
  input => TABLE readings PARTITION BY sensor,
  model => '${MODEL_URI}',
  features => DESCRIPTOR(`value`),
  on_time => DESCRIPTOR(ts),
  uid => 'rnn-forecast');
