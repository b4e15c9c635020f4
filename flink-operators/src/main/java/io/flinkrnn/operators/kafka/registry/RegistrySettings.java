package io.flinkrnn.operators.kafka.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where the schema registry is and how to reach it: its URLs, basic-auth credentials, the trust store for
 * https, the bound on cached schemas, and how long an unreachable registry is retried before the job fails.
 * One validating constructor; {@link #from} reads the {@link RegistryOptions}, so every problem names the
 * setting. {@link #toString} hides the secrets.
 */
public record RegistrySettings(List<URI> urls, String userInfo, String trustStoreLocation, String trustStorePassword,
        String trustStoreType, int cacheCapacity, Duration requestTimeout, Duration initialBackoff,
        Duration maxBackoff, Duration retryTimeout) implements Serializable {

    public RegistrySettings {
        List<String> problems = new ArrayList<>();
        urls = urls == null ? List.of() : List.copyOf(urls);
        if (urls.isEmpty()) {
            problems.add(RegistryOptions.URL.key() + " is not set");
        }
        for (URI u : urls) {
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                problems.add(RegistryOptions.URL.key() + " must be http(s)://host[:port][/path], got '" + u + "'");
            }
        }
        userInfo = userInfo == null ? "" : userInfo;
        if (!userInfo.isEmpty() && userInfo.indexOf(':') <= 0) {
            problems.add(RegistryOptions.BASIC_AUTH_USER_INFO.key() + " must be user:password");
        }
        trustStoreLocation = trustStoreLocation == null ? "" : trustStoreLocation;
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        trustStoreType = trustStoreType == null || trustStoreType.isBlank() ? "PKCS12" : trustStoreType;
        if (cacheCapacity < 1) {
            problems.add(RegistryOptions.CACHE_CAPACITY.key() + " must be at least 1, got " + cacheCapacity);
        }
        positive(problems, RegistryOptions.REQUEST_TIMEOUT.key(), requestTimeout);
        positive(problems, RegistryOptions.RETRY_INITIAL_BACKOFF.key(), initialBackoff);
        positive(problems, RegistryOptions.RETRY_MAX_BACKOFF.key(), maxBackoff);
        positive(problems, RegistryOptions.RETRY_TIMEOUT.key(), retryTimeout);
        if (problems.isEmpty() && maxBackoff.compareTo(initialBackoff) < 0) {
            problems.add(RegistryOptions.RETRY_MAX_BACKOFF.key() + " (" + maxBackoff + ") is below "
                    + RegistryOptions.RETRY_INITIAL_BACKOFF.key() + " (" + initialBackoff + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add(key + " must be positive, got " + d);
        }
    }

    /** The registry at {@code url}, everything else at its default. */
    public static RegistrySettings of(String url) {
        return from(new Configuration().set(RegistryOptions.URL, url));
    }

    /** The settings in {@code config} ({@link RegistryOptions}); an IllegalArgumentException names each problem. */
    public static RegistrySettings from(ReadableConfig config) {
        List<URI> urls = new ArrayList<>();
        for (String u : config.get(RegistryOptions.URL).split(",")) {
            if (!u.isBlank()) {
                try {
                    urls.add(URI.create(u.trim().replaceAll("/+$", "")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(RegistryOptions.URL.key() + " is not a URL: '" + u.trim() + "'");
                }
            }
        }
        return new RegistrySettings(urls, config.get(RegistryOptions.BASIC_AUTH_USER_INFO),
                config.get(RegistryOptions.TRUSTSTORE_LOCATION), config.get(RegistryOptions.TRUSTSTORE_PASSWORD),
                config.get(RegistryOptions.TRUSTSTORE_TYPE), config.get(RegistryOptions.CACHE_CAPACITY),
                config.get(RegistryOptions.REQUEST_TIMEOUT), config.get(RegistryOptions.RETRY_INITIAL_BACKOFF),
                config.get(RegistryOptions.RETRY_MAX_BACKOFF), config.get(RegistryOptions.RETRY_TIMEOUT));
    }

    @Override
    public String toString() {
        return "RegistrySettings[urls=" + urls + ", user=" + (userInfo.isEmpty() ? "(none)"
                : userInfo.substring(0, userInfo.indexOf(':')) + ":***") + ", trustStore="
                + (trustStoreLocation.isEmpty() ? "(default)" : trustStoreLocation + " (" + trustStoreType + ")")
                + ", cacheCapacity=" + cacheCapacity + ", requestTimeout=" + requestTimeout + ", backoff="
                + initialBackoff + ".." + maxBackoff + ", retryTimeout=" + retryTimeout + "]";
    }
}
