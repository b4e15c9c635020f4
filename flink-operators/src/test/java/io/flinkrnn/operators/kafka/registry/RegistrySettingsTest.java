package io.flinkrnn.operators.kafka.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {

    @Test
    void settingsAreReadAsTypedFlinkOptionsWithTheirDefaults() {
        Configuration c = new Configuration();
        c.setString("registry.url", "https://a:8081/, http://b:8081");
        c.setString("registry.retry.timeout", "90 s");
        c.setString("registry.cache-capacity", "50");
        RegistrySettings s = RegistrySettings.from(c);
        assertEquals(List.of(URI.create("https://a:8081"), URI.create("http://b:8081")), s.urls());
        assertEquals(Duration.ofSeconds(90), s.retryTimeout());
        assertEquals(50, s.cacheCapacity());
        assertEquals(RegistryOptions.REQUEST_TIMEOUT.defaultValue(), s.requestTimeout());
        assertEquals("PKCS12", s.trustStoreType());
        c.setString("output.subject-strategy", "Record-Name");
        assertEquals(SubjectStrategy.RECORD_NAME, c.get(RegistryOptions.SUBJECT_STRATEGY));
    }

    @Test
    void everyProblemIsNamedWithItsSetting() {
        Configuration c = new Configuration();
        c.setString("registry.url", "ftp://x");
        c.setString("registry.basic-auth.user-info", "nocolon");
        c.setString("registry.cache-capacity", "0");
        c.setString("registry.retry.initial-backoff", "10s");
        c.setString("registry.retry.max-backoff", "1s");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegistrySettings.from(c));
        assertEquals("registry.url must be http(s)://host[:port][/path], got 'ftp://x'; registry.basic-auth.user-info"
                + " must be user:password; registry.cache-capacity must be at least 1, got 0", e.getMessage());
        c.setString("registry.url", "http://x");
        c.setString("registry.basic-auth.user-info", "");
        c.setString("registry.cache-capacity", "1");
        e = assertThrows(IllegalArgumentException.class, () -> RegistrySettings.from(c));
        assertEquals("registry.retry.max-backoff (PT1S) is below registry.retry.initial-backoff (PT10S)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegistrySettings.from(new Configuration()));
        assertEquals("registry.url is not set", e.getMessage());
    }

    @Test
    void toStringHidesThePasswords() {
        Configuration c = new Configuration();
        c.setString("registry.url", "https://r:8081");
        c.setString("registry.basic-auth.user-info", "flink:hunter2");
        c.setString("registry.ssl.truststore.location", "/etc/trust.p12");
        c.setString("registry.ssl.truststore.password", "storepw");
        String s = RegistrySettings.from(c).toString();
        assertTrue(s.contains("flink:***") && s.contains("/etc/trust.p12"), s);
        assertTrue(!s.contains("hunter2") && !s.contains("storepw"), s);
    }

    @Test
    void subjectsFollowConfluentsStrategies() {
        org.apache.avro.Schema f = io.flinkrnn.schemas.Forecast.getClassSchema();
        assertEquals("forecasts-value", SubjectStrategy.TOPIC_NAME.subject("forecasts", f));
        assertEquals("io.flinkrnn.schemas.Forecast", SubjectStrategy.RECORD_NAME.subject("forecasts", f));
        assertEquals("forecasts-io.flinkrnn.schemas.Forecast", SubjectStrategy.TOPIC_RECORD_NAME.subject("forecasts", f));
    }
}
