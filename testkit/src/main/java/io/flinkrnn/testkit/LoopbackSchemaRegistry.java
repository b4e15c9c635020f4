package io.flinkrnn.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A schema registry on a loopback port that speaks the part of Confluent's REST API that serializers use:
 * schemas by global id, registering and looking up a schema under a subject, subjects and their versions.
 * No Confluent registry installs from the package registries these machines reach, so the tests, the interop
 * script and the benchmark talk to this one; it keeps everything in memory, gives the same id to the same
 * schema text in any subject (as Confluent's does), and checks no compatibility. It can require basic auth,
 * serve https from a key store, and fake an outage (every request answered 503) to test the callers' retries.
 * For tests and local runs only; never on a job's classpath.
 */
public final class LoopbackSchemaRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private record Stored(int id, String type, String text) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String url;
    private final String authorization;
    private final Map<String, Stored> byText = new HashMap<>();
    private final Map<Integer, Stored> byId = new HashMap<>();
    private final Map<String, List<Stored>> subjects = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean outage;
    private int nextId = 1;

    private LoopbackSchemaRegistry(Builder b) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port);
        if (b.keyStore != null) {
            HttpsServer https = HttpsServer.create(at, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(b.keyStore, b.keyStorePassword)));
            server = https;
        } else {
            server = HttpServer.create(at, 0);
        }
        authorization = b.userInfo == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                b.userInfo.getBytes(StandardCharsets.UTF_8));
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "loopback-schema-registry");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        url = (b.keyStore != null ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A plain-http registry on a free loopback port. */
    public static LoopbackSchemaRegistry start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options before {@link #start()}. */
    public static final class Builder {
        private int port;
        private String userInfo;
        private Path keyStore;
        private String keyStorePassword;

        private Builder() {
        }

        /** The loopback port (default 0: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Requires {@code Authorization: Basic} with {@code user:password}; anything else is 401. */
        public Builder basicAuth(String user, String password) {
            this.userInfo = user + ":" + password;
            return this;
        }

        /** Serves https with the key and certificate in this PKCS12 key store. */
        public Builder tls(Path pkcs12KeyStore, String password) {
            this.keyStore = pkcs12KeyStore;
            this.keyStorePassword = password;
            return this;
        }

        public LoopbackSchemaRegistry start() throws IOException {
            return new LoopbackSchemaRegistry(this);
        }
    }

    private static SSLContext sslContext(Path keyStore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot serve https with " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT} (or https). */
    public String url() {
        return url;
    }

    /** Registers {@code avroSchema} under {@code subject} as a client would; returns its id. */
    public synchronized int register(String subject, String avroSchema) {
        return store(subject, "AVRO", avroSchema).id;
    }

    /** While on, every request is answered 503, as a registry behind a load balancer with no live node. */
    public void outage(boolean on) {
        outage = on;
    }

    /** Requests answered so far, outage included. */
    public int requests() {
        return requests.get();
    }

    /** Requests answered 503 because of {@link #outage}. */
    public int refusedDuringOutage() {
        return refused.get();
    }

    /** Subjects and, for each, the ids of its versions in order. */
    public synchronized Map<String, List<Integer>> subjects() {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        subjects.forEach((s, v) -> out.put(s, v.stream().map(Stored::id).toList()));
        return out;
    }

    private Stored store(String subject, String type, String text) {
        Stored s = byText.computeIfAbsent(type + "\0" + text, k -> {
            Stored n = new Stored(nextId++, type, text);
            byId.put(n.id, n);
            return n;
        });
        List<Stored> versions = subjects.computeIfAbsent(subject, k -> new ArrayList<>());
        if (!versions.contains(s)) {
            versions.add(s);
        }
        return s;
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        try (x) {
            if (outage) {
                refused.incrementAndGet();
                reply(x, 503, error(50300, "the loopback registry is in an outage"));
                return;
            }
            if (authorization != null && !authorization.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                reply(x, 401, error(401, "Unauthorized"));
                return;
            }
            String[] p = x.getRequestURI().getRawPath().replaceAll("^/+|/+$", "").split("/");
            for (int i = 0; i < p.length; i++) {
                p[i] = URLDecoder.decode(p[i], StandardCharsets.UTF_8);
            }
            String method = x.getRequestMethod();
            JsonNode body = method.equals("POST") ? readBody(x) : null;
            synchronized (this) {
                route(x, method, p, body);
            }
        } catch (RuntimeException e) {
            reply(x, 500, error(50001, String.valueOf(e.getMessage())));
        }
    }

    private void route(HttpExchange x, String method, String[] p, JsonNode body) throws IOException {
        if (method.equals("GET") && p.length >= 3 && p[0].equals("schemas") && p[1].equals("ids")) {
            Stored s = parseInt(p[2]) == null ? null : byId.get(parseInt(p[2]));
            if (s == null) {
                reply(x, 404, error(40403, "Schema " + p[2] + " not found"));
            } else if (p.length == 4 && p[3].equals("schema")) {
                reply(x, 200, s.text);
            } else {
                ObjectNode o = JSON.createObjectNode().put("schema", s.text);
                if (!s.type.equals("AVRO")) {
                    o.put("schemaType", s.type);
                }
                reply(x, 200, o.toString());
            }
        } else if (method.equals("GET") && p.length == 1 && p[0].equals("subjects")) {
            reply(x, 200, JSON.valueToTree(subjects.keySet()).toString());
        } else if (method.equals("GET") && p.length == 1 && p[0].equals("schemas")) {
            reply(x, 200, "[]");
        } else if (method.equals("GET") && p.length >= 1 && p[0].equals("config")) {
            reply(x, 200, "{\"compatibilityLevel\":\"NONE\"}");
        } else if (p.length >= 2 && p[0].equals("subjects")) {
            subject(x, method, p, body);
        } else {
            reply(x, 404, error(404, "not served by the loopback registry: " + method + " /" + String.join("/", p)));
        }
    }

    private void subject(HttpExchange x, String method, String[] p, JsonNode body) throws IOException {
        String subject = p[1];
        List<Stored> versions = subjects.get(subject);
        if (method.equals("POST") && p.length == 3 && p[2].equals("versions")) {
            if (body == null || !body.path("schema").isTextual()) {
                reply(x, 422, error(42201, "the request holds no schema"));
                return;
            }
            Stored s = store(subject, body.path("schemaType").asText("AVRO"), body.get("schema").asText());
            reply(x, 200, JSON.createObjectNode().put("id", s.id).toString());
        } else if (method.equals("POST") && p.length == 2) {
            Stored s = body == null ? null : byText.get(body.path("schemaType").asText("AVRO") + "\0"
                    + body.path("schema").asText());
            if (versions == null) {
                reply(x, 404, error(40401, "Subject '" + subject + "' not found."));
            } else if (s == null || !versions.contains(s)) {
                reply(x, 404, error(40403, "Schema not found"));
            } else {
                reply(x, 200, version(subject, versions.indexOf(s) + 1, s));
            }
        } else if (method.equals("GET") && versions == null) {
            reply(x, 404, error(40401, "Subject '" + subject + "' not found."));
        } else if (method.equals("GET") && p.length == 3 && p[2].equals("versions")) {
            List<Integer> numbers = new ArrayList<>();
            for (int i = 1; i <= versions.size(); i++) {
                numbers.add(i);
            }
            reply(x, 200, JSON.valueToTree(numbers).toString());
        } else if (method.equals("GET") && p.length >= 4 && p[2].equals("versions")) {
            Integer v = p[3].equals("latest") ? Integer.valueOf(versions.size()) : parseInt(p[3]);
            if (v == null || v < 1 || v > versions.size()) {
                reply(x, 404, error(40402, "Version " + p[3] + " not found."));
            } else if (p.length == 5 && p[4].equals("schema")) {
                reply(x, 200, versions.get(v - 1).text);
            } else {
                reply(x, 200, version(subject, v, versions.get(v - 1)));
            }
        } else {
            reply(x, 404, error(404, "not served by the loopback registry: " + method + " /" + String.join("/", p)));
        }
    }

    private static String version(String subject, int version, Stored s) {
        ObjectNode o = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", s.id)
                .put("schema", s.text);
        if (!s.type.equals("AVRO")) {
            o.put("schemaType", s.type);
        }
        return o.toString();
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode readBody(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            byte[] bytes = in.readNBytes(8 << 20);
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        }
    }

    private static String error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
