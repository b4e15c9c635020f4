package io.flinkrnn.operators.kafka.registry;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The schema registry's settings as typed Flink options, as {@code KafkaSourceOptions} declares the Kafka
 * source's: one declaration per setting with its type, default and description, parsed by Flink's {@code
 * Configuration} and checked once by {@link RegistrySettings#from}. The job's settings of the same names are
 * these options, so the job and a DataStream program cannot disagree on a default.
 */
public final class RegistryOptions {
    public static final ConfigOption<String> URL = ConfigOptions.key("registry.url").stringType().defaultValue("")
            .withDescription("Confluent-compatible schema registry, http(s)://host:port[/path]; several separated by"
                    + " commas are tried in turn; needed by the avro-registry formats");
    public static final ConfigOption<String> BASIC_AUTH_USER_INFO = ConfigOptions.key(
            "registry.basic-auth.user-info").stringType().defaultValue("").withDescription(
            "user:password for HTTP basic authentication; empty = none");
    public static final ConfigOption<String> TRUSTSTORE_LOCATION = ConfigOptions.key(
            "registry.ssl.truststore.location").stringType().defaultValue("").withDescription(
            "trust store for an https registry's certificate; empty = the JVM's default trust");
    public static final ConfigOption<String> TRUSTSTORE_PASSWORD = ConfigOptions.key(
            "registry.ssl.truststore.password").stringType().defaultValue("").withDescription(
            "password of the trust store; empty = none");
    public static final ConfigOption<String> TRUSTSTORE_TYPE = ConfigOptions.key("registry.ssl.truststore.type")
            .stringType().defaultValue("PKCS12").withDescription("PKCS12 or JKS");
    public static final ConfigOption<Integer> CACHE_CAPACITY = ConfigOptions.key("registry.cache-capacity")
            .intType().defaultValue(1000).withDescription("most writer schemas (and their decoders) kept per"
                    + " source instance; the least recently used leaves first");
    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("registry.request-timeout")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("longest one registry request may"
                    + " take before it counts as failed and is retried");
    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF = ConfigOptions.key(
            "registry.retry.initial-backoff").durationType().defaultValue(Duration.ofMillis(100)).withDescription(
            "wait after the first failed request to an unreachable registry; doubled after each failure");
    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF = ConfigOptions.key("registry.retry.max-backoff")
            .durationType().defaultValue(Duration.ofSeconds(5)).withDescription("longest wait between two"
                    + " requests to an unreachable registry");
    public static final ConfigOption<Duration> RETRY_TIMEOUT = ConfigOptions.key("registry.retry.timeout")
            .durationType().defaultValue(Duration.ofMinutes(1)).withDescription("how long a lookup waits for an"
                    + " unreachable registry, holding its place in the input, before it fails the job so that"
                    + " Flink restarts it from its last checkpoint");
    public static final ConfigOption<SubjectStrategy> SUBJECT_STRATEGY = ConfigOptions.key(
            "output.subject-strategy").enumType(SubjectStrategy.class).defaultValue(SubjectStrategy.TOPIC_NAME)
            .withDescription("subject the output schemas are registered under with output.format avro-registry:"
                    + " topic-name (<topic>-value), record-name (the record's full name) or topic-record-name"
                    + " (<topic>-<full name>)");

    private RegistryOptions() {
    }
}
