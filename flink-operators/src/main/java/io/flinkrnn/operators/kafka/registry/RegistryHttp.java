package io.flinkrnn.operators.kafka.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One HTTP exchange with the registry: basic auth when configured, TLS with the configured trust store, the
 * registry's content type, a timeout, and a bound on the answer's size (a hostile registry cannot make the
 * job read an endless schema). With several URLs, a failed transport moves to the next one for the next try.
 */
final class RegistryHttp {
    /** The largest answer read; a schema this large is refused, not parsed. */
    static final int MAX_RESPONSE_BYTES = 4 << 20;
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** An answer: its status and at most {@link #MAX_RESPONSE_BYTES} of its body. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final List<URI> urls;
    private final String authorization;
    private final HttpClient client;
    private final RegistrySettings settings;
    private int current;

    RegistryHttp(RegistrySettings settings) {
        this.settings = settings;
        this.urls = settings.urls();
        this.authorization = settings.userInfo().isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
                settings.userInfo().getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!settings.trustStoreLocation().isEmpty()) {
            b.sslContext(sslContext(settings));
        }
        this.client = b.build();
    }

    private static SSLContext sslContext(RegistrySettings s) {
        try (InputStream in = Files.newInputStream(Path.of(s.trustStoreLocation()))) {
            KeyStore store = KeyStore.getInstance(s.trustStoreType());
            store.load(in, s.trustStorePassword().isEmpty() ? null : s.trustStorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            // Not a record's fault: fail the task rather than dead-letter every record.
            throw new RegistryFailedException("cannot use " + RegistryOptions.TRUSTSTORE_LOCATION.key() + " "
                    + s.trustStoreLocation() + " as a " + s.trustStoreType() + " trust store: " + e, e);
        }
    }

    /** The URL the next request goes to. */
    URI current() {
        return urls.get(current);
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(resolve(path)).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private URI resolve(String path) {
        return URI.create(current() + path);
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(settings.requestTimeout()).header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (body.length > MAX_RESPONSE_BYTES) {
                    throw new TooLarge("the registry's answer is larger than " + MAX_RESPONSE_BYTES + " bytes");
                }
                return new Response(r.statusCode(), body);
            }
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            current = (current + 1) % urls.size();
            throw e;
        }
    }

    /** An answer over {@link #MAX_RESPONSE_BYTES}: the registry is reachable, the schema is not usable. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }
}
