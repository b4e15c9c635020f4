package io.flinkrnn.operators.kafka.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two calls flink-rnn makes to a Confluent-compatible registry: a writer schema by id ({@code GET
 * /schemas/ids/{id}}) and registering a schema under a subject ({@code POST /subjects/{subject}/versions}).
 * It owns the rule for an unreachable registry: transport failures, timeouts and 5xx/408/429 answers are
 * retried with doubling backoff, the caller waiting in place, until {@code registry.retry.timeout}; then a
 * {@link RegistryFailedException} fails the task. A schema the registry says it does not have (404 with
 * error code 40403) is a {@link SchemaNotFoundException} at once; any other refusal (401, 403, 409, 422, or a
 * 404 that is not the registry's) is a {@link RegistryFailedException} at once, since no record is to blame.
 * Not thread-safe; one per task.
 */
public final class SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCHEMA_NOT_FOUND = 40403;

    /** A schema as the registry holds it: its type ({@code AVRO} when the registry leaves it out) and text. */
    public record RegisteredSchema(int id, String type, String text) {
    }

    private final RegistrySettings settings;
    private final RegistryHttp http;
    private long failedRequests;

    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.http = new RegistryHttp(settings);
    }

    /** Requests that failed and were retried since this client was made. */
    public long failedRequests() {
        return failedRequests;
    }

    /** The schema with {@code id}; IOException when the registry's answer cannot be used (too large, not JSON). */
    public RegisteredSchema schema(int id) throws IOException {
        String what = "schema id " + id;
        RegistryHttp.Response r = retrying(what, () -> http.get("/schemas/ids/" + id));
        if (r.status() == 404 && errorCode(r) == SCHEMA_NOT_FOUND) {
            throw new SchemaNotFoundException("the registry has no schema with id " + id);
        }
        JsonNode body = okBody(what, r);
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw new IOException("the registry's answer for " + what + " holds no schema");
        }
        JsonNode type = body.get("schemaType");
        return new RegisteredSchema(id, type == null || type.isNull() ? "AVRO" : type.asText(), text.asText());
    }

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its id. */
    public int register(String subject, Schema schema) {
        ObjectNode request = JSON.createObjectNode().put("schema", schema.toString());
        String what = "registering " + schema.getFullName() + " under subject " + subject;
        try {
            String body = JSON.writeValueAsString(request);
            RegistryHttp.Response r = retrying(what, () -> http.post("/subjects/"
                    + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions", body));
            JsonNode id = okBody(what, r).get("id");
            if (id == null || !id.canConvertToInt()) {
                throw new RegistryFailedException("the registry's answer to " + what + " holds no id: "
                        + abbreviate(r.text()), null);
            }
            return id.intValue();
        } catch (IOException e) {
            throw new RegistryFailedException(what + ": " + e.getMessage(), e);
        }
    }

    private JsonNode okBody(String what, RegistryHttp.Response r) throws IOException {
        if (r.status() != 200) {
            throw new RegistryFailedException("the registry at " + http.current() + " refused " + what + ": HTTP "
                    + r.status() + " " + abbreviate(r.text()), null);
        }
        try {
            return JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new IOException("the registry's answer for " + what + " is not JSON: " + abbreviate(r.text()));
        }
    }

    private static int errorCode(RegistryHttp.Response r) {
        try {
            JsonNode code = JSON.readTree(r.body()).get("error_code");
            return code == null ? -1 : code.asInt(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private interface Call {
        RegistryHttp.Response run() throws IOException, InterruptedException;
    }

    private RegistryHttp.Response retrying(String what, Call call) throws IOException {
        long start = System.nanoTime();
        Duration backoff = settings.initialBackoff();
        int failures = 0;
        while (true) {
            String problem;
            Exception cause = null;
            try {
                RegistryHttp.Response r = call.run();
                if (!transientStatus(r.status())) {
                    if (failures > 0) {
                        LOG.info("registry {} answers again after {} failed requests for {}", http.current(),
                                failures, what);
                    }
                    return r;
                }
                problem = "HTTP " + r.status() + " " + abbreviate(r.text());
            } catch (RegistryHttp.TooLarge e) {
                throw e;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryFailedException("interrupted while waiting for the registry (" + what + ")",
                        e);
            }
            failures++;
            failedRequests++;
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (waited.plus(backoff).compareTo(settings.retryTimeout()) > 0) {
                throw new RegistryFailedException("schema registry " + settings.urls() + " unreachable for "
                        + waited.toMillis() + " ms (" + RegistryOptions.RETRY_TIMEOUT.key() + " "
                        + settings.retryTimeout() + ") while " + what + ", " + failures + " tries, last: " + problem
                        + "; failing so that Flink restarts from the last checkpoint", cause);
            }
            if (failures == 1 || failures % 10 == 0) {
                LOG.warn("registry {} failed ({}) while {}; try {}, retrying in {} ms, for at most {}", http.current(),
                        problem, what, failures, backoff.toMillis(), settings.retryTimeout());
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryFailedException("interrupted while waiting for the registry (" + what + ")",
                        e);
            }
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    private static boolean transientStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
