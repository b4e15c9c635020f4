package io.flinkrnn.operators.kafka.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.testkit.LoopbackSchemaRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SchemaRegistryClientTest {
    static final String V1 = "{\"type\":\"record\",\"name\":\"Reading\",\"fields\":[{\"name\":\"k\",\"type\":\"string\"}]}";

    static RegistrySettings settings(String url, Duration retryTimeout) {
        return RegistrySettings.from(new Configuration().set(RegistryOptions.URL, url)
                .set(RegistryOptions.RETRY_INITIAL_BACKOFF, Duration.ofMillis(20))
                .set(RegistryOptions.RETRY_MAX_BACKOFF, Duration.ofMillis(100))
                .set(RegistryOptions.RETRY_TIMEOUT, retryTimeout)
                .set(RegistryOptions.REQUEST_TIMEOUT, Duration.ofSeconds(2)));
    }

    @Test
    void fetchesASchemaByIdAndNamesAnUnknownIdAsNotFound() throws Exception {
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.start()) {
            int id = r.register("readings-value", V1);
            SchemaRegistryClient c = new SchemaRegistryClient(settings(r.url(), Duration.ofSeconds(5)));
            SchemaRegistryClient.RegisteredSchema s = c.schema(id);
            assertEquals("AVRO", s.type());
            assertEquals(V1, s.text());
            SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class, () -> c.schema(id + 100));
            assertTrue(e.getMessage().contains("no schema with id " + (id + 100)), e.getMessage());
        }
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdUnderEachSubject() throws Exception {
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.start()) {
            SchemaRegistryClient c = new SchemaRegistryClient(settings(r.url(), Duration.ofSeconds(5)));
            Schema forecast = Forecast.getClassSchema();
            int id = c.register("forecasts-value", forecast);
            assertEquals(id, c.register("forecasts-value", forecast));
            assertEquals(id, c.register(SubjectStrategy.RECORD_NAME.subject("forecasts", forecast), forecast));
            assertEquals(List.of("forecasts-value", "io.flinkrnn.schemas.Forecast"), List.copyOf(r.subjects().keySet()));
            assertEquals(forecast, new Schema.Parser().parse(c.schema(id).text()));
        }
    }

    @Test
    void anOutageShorterThanTheRetryTimeoutIsRiddenOut() throws Exception {
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.start()) {
            int id = r.register("s", V1);
            SchemaRegistryClient c = new SchemaRegistryClient(settings(r.url(), Duration.ofSeconds(10)));
            r.outage(true);
            Thread back = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                r.outage(false);
            });
            back.start();
            assertEquals(V1, c.schema(id).text());
            back.join();
            assertTrue(r.refusedDuringOutage() >= 3 && c.failedRequests() == r.refusedDuringOutage(),
                    "retried with backoff: " + r.refusedDuringOutage() + " refused, " + c.failedRequests() + " failed");
        }
    }

    @Test
    void anOutageLongerThanTheRetryTimeoutFailsNamingTheSettingAfterAboutThatLong() throws Exception {
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.start()) {
            int id = r.register("s", V1);
            r.outage(true);
            SchemaRegistryClient c = new SchemaRegistryClient(settings(r.url(), Duration.ofMillis(800)));
            long start = System.nanoTime();
            RegistryFailedException e = assertThrows(RegistryFailedException.class, () -> c.schema(id));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 500 && ms < 3000, ms + " ms");
            assertTrue(e.getMessage().contains("registry.retry.timeout") && e.getMessage().contains("HTTP 503"),
                    e.getMessage());
        }
    }

    @Test
    void aRegistryThatIsNotListeningIsRetriedThenFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SchemaRegistryClient c = new SchemaRegistryClient(settings("http://127.0.0.1:" + port, Duration.ofMillis(500)));
        RegistryFailedException e = assertThrows(RegistryFailedException.class, () -> c.schema(1));
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
        assertTrue(c.failedRequests() >= 2, "retried: " + c.failedRequests());
    }

    @Test
    void aSecondUrlIsTriedWhenTheFirstDoesNotAnswer() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.start()) {
            int id = r.register("s", V1);
            SchemaRegistryClient c = new SchemaRegistryClient(settings("http://127.0.0.1:" + port + "," + r.url(),
                    Duration.ofSeconds(5)));
            assertEquals(V1, c.schema(id).text());
            assertEquals(1, c.failedRequests());
        }
    }

    @Test
    void wrongCredentialsOrAWrongPathFailAtOnceInsteadOfDeadLetteringRecords() throws Exception {
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.builder().basicAuth("flink", "s3cret").start()) {
            int id = r.register("s", V1);
            Configuration good = new Configuration().set(RegistryOptions.URL, r.url())
                    .set(RegistryOptions.BASIC_AUTH_USER_INFO, "flink:s3cret");
            assertEquals(V1, new SchemaRegistryClient(RegistrySettings.from(good)).schema(id).text());
            SchemaRegistryClient wrong = new SchemaRegistryClient(RegistrySettings.from(good.clone()
                    .set(RegistryOptions.BASIC_AUTH_USER_INFO, "flink:guess")));
            long start = System.nanoTime();
            RegistryFailedException e = assertThrows(RegistryFailedException.class, () -> wrong.schema(id));
            assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "not retried");
            SchemaRegistryClient badPath = new SchemaRegistryClient(RegistrySettings.from(good.clone()
                    .set(RegistryOptions.URL, r.url() + "/not-the-registry/x")));
            e = assertThrows(RegistryFailedException.class, () -> badPath.schema(id));
            assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        }
    }

    @Test
    void httpsWorksWithTheConfiguredTrustStoreAndNotWithout(@TempDir Path tmp) throws Exception {
        Path keyStore = tmp.resolve("registry.p12");
        Path cert = tmp.resolve("registry.crt");
        Path trustStore = tmp.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "registry", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", "trustpw");
        try (LoopbackSchemaRegistry r = LoopbackSchemaRegistry.builder().tls(keyStore, "changeit").start()) {
            int id = r.register("s", V1);
            assertTrue(r.url().startsWith("https://"));
            Configuration conf = new Configuration().set(RegistryOptions.URL, r.url())
                    .set(RegistryOptions.TRUSTSTORE_LOCATION, trustStore.toString())
                    .set(RegistryOptions.TRUSTSTORE_PASSWORD, "trustpw")
                    .set(RegistryOptions.RETRY_TIMEOUT, Duration.ofMillis(300));
            assertEquals(V1, new SchemaRegistryClient(RegistrySettings.from(conf)).schema(id).text());
            SchemaRegistryClient untrusting = new SchemaRegistryClient(RegistrySettings.from(conf.clone()
                    .set(RegistryOptions.TRUSTSTORE_LOCATION, "")));
            RegistryFailedException e = assertThrows(RegistryFailedException.class, () -> untrusting.schema(id));
            assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
            e = assertThrows(RegistryFailedException.class, () -> new SchemaRegistryClient(RegistrySettings.from(
                    conf.clone().set(RegistryOptions.TRUSTSTORE_LOCATION, tmp.resolve("none.p12").toString()))));
            assertTrue(e.getMessage().startsWith("cannot use registry.ssl.truststore.location"), e.getMessage());
        }
    }

    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }
}
