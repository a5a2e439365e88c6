package org.medmaas.server;

import org.medmaas.server.http.JwtVerifier;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;

/**
 * How the server runs. Validated here, at start-up, so a bad setting stops the server with a
 * message rather than surfacing on the first request.
 *
 * @param host               the address to listen on
 * @param port               the port (0: any free port)
 * @param maxBodyBytes       the largest request body accepted (larger: 413)
 * @param tlsCertificate     PEM certificate chain for HTTPS
 * @param tlsKey             PEM private key for HTTPS
 * @param unsafePlainHttp    allow plain HTTP on an address other than loopback (never in production)
 * @param rateLimitPerSecond requests per second per key, on average (0: no limit)
 * @param rateLimitBurst     requests a key may send at once above the average (0: twice the rate, at least 1)
 * @param authFailuresPerMinute failed authentications one client address may make a minute (burst: the same
 *                           number); past it the address's calls to routes that need credentials get 429
 *                           until the minute has passed (0: no limit)
 * @param batchLearners      learners whose models are scored through a dynamic batcher
 * @param batchMaxRows       the most rows one batch holds
 * @param batchDelayMicros   how long a batch waits for more requests (0: never waits; batches form under load)
 * @param requestTimeoutMillis how long a request may take from its arrival to its answer, and how long
 *                           the server waits for each read from a client; past it the request gets
 *                           503 and the work stops
 * @param jwt                bearer JWTs from an OAuth2/OIDC provider, accepted beside API keys
 */
public record ServerSettings(String host, int port, long maxBodyBytes, Optional<Path> tlsCertificate, Optional<Path> tlsKey,
        boolean unsafePlainHttp, double rateLimitPerSecond, int rateLimitBurst, int authFailuresPerMinute, Set<String> batchLearners, int batchMaxRows,
        long batchDelayMicros, long requestTimeoutMillis, Optional<Jwt> jwt) {

    /**
     * Where bearer JWTs come from and what they must say.
     *
     * @param jwksFile    the provider's keys (a JWKS JSON file), or…
     * @param jwksUrl     …the URL of its JWKS (fetched and cached)
     * @param issuer      the {@code iss} every token must carry
     * @param audience    the {@code aud} every token must include
     * @param roleClaim   the claim naming MedMaaS roles (a string, space-separated, or an array)
     * @param modelsClaim the claim with a model pattern ("*" when absent)
     */
    public record Jwt(Optional<Path> jwksFile, Optional<java.net.URI> jwksUrl, String issuer, String audience, String roleClaim,
            String modelsClaim) {
        public Jwt {
            if (jwksFile.isPresent() == jwksUrl.isPresent()) {
                throw MedmaasException.invalid("Bearer tokens need exactly one of 'jwt.jwks_file' and 'jwt.jwks_url'.");
            }
            if (issuer.isBlank() || audience.isBlank()) {
                throw MedmaasException.invalid("Bearer tokens need 'jwt.issuer' and 'jwt.audience'.");
            }
        }
    }

    public ServerSettings {
        batchLearners = Set.copyOf(batchLearners);
        if (port < 0 || port > 65535) {
            throw MedmaasException.invalid("'port' must be 0–65535.");
        }
        if (maxBodyBytes < 1024) {
            throw MedmaasException.invalid("'max_body_bytes' must be at least 1024.");
        }
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw MedmaasException.invalid("HTTPS needs both 'tls_certificate' and 'tls_key' (PEM files).");
        }
        if (tlsCertificate.isEmpty() && !unsafePlainHttp && !loopback(host)) {
            throw MedmaasException.invalid("Plain HTTP is served on loopback only: give a certificate and key for HTTPS on '"
                    + host + "', or set unsafe_plain_http if a TLS proxy in front of the server protects it.");
        }
        if (rateLimitPerSecond < 0 || rateLimitBurst < 0) {
            throw MedmaasException.invalid("'rate_limit_per_second' and 'rate_limit_burst' must be 0 or more.");
        }
        if (authFailuresPerMinute < 0 || authFailuresPerMinute > 1_000_000) {
            throw MedmaasException.invalid("'auth_failures_per_minute' must be 0–1000000 (0: no limit).");
        }
        if (batchMaxRows < 1 || batchMaxRows > 10_000 || batchDelayMicros < 0 || batchDelayMicros > 1_000_000) {
            throw MedmaasException.invalid("'batch_max_rows' must be 1–10000 and 'batch_delay_us' 0–1000000.");
        }
        if (requestTimeoutMillis < 100 || requestTimeoutMillis > 600_000) {
            throw MedmaasException.invalid("'request_timeout_ms' must be 100–600000 (0.1 s to 10 minutes).");
        }
    }

    /**
     * Loopback, plain HTTP, port 8080, 10 MiB bodies, no rate limit per key, 30 failed
     * authentications a minute per client address, dynamic batching for MLPs, 30 s per request.
     */
    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", 8080, 10L << 20, Optional.empty(), Optional.empty(), false, 0, 0, 30,
                Set.of("mlp"), 256, 0, 30_000, Optional.empty());
    }

    /** The keys a settings file may hold (see examples/server.yaml). */
    public static final java.util.List<String> KEYS = java.util.List.of("host", "port", "max_body_bytes", "tls_certificate",
            "tls_key", "unsafe_plain_http", "rate_limit_per_second", "rate_limit_burst", "auth_failures_per_minute", "batch_learners", "batch_max_rows",
            "batch_delay_us", "request_timeout_ms", "jwt");

    /**
     * Settings from a YAML file over the defaults. Unknown keys and wrong types are refused by
     * name, so a typo does not silently leave a default in place.
     */
    public static ServerSettings read(Path yaml) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(yaml.toFile());
        } catch (java.io.IOException e) {
            throw MedmaasException.invalid("Could not read the server settings " + yaml + ": " + e.getMessage());
        }
        ServerSettings d = defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return d;
        }
        if (!root.isObject()) {
            throw MedmaasException.invalid(yaml + " must hold a mapping of settings.");
        }
        java.util.List<String> unknown = new java.util.ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw MedmaasException.invalid("Unknown server settings " + unknown + " in " + yaml + "; known: " + KEYS + ".");
        }
        java.util.Set<String> learners = d.batchLearners();
        if (root.has("batch_learners")) {
            if (!root.get("batch_learners").isArray()) {
                throw MedmaasException.invalid("'batch_learners' must be a list, e.g. [mlp].");
            }
            learners = new java.util.HashSet<>();
            for (var n : root.get("batch_learners")) {
                learners.add(n.asText());
            }
        }
        return new ServerSettings(text(root, "host", d.host()), (int) number(root, "port", d.port()),
                (long) number(root, "max_body_bytes", d.maxBodyBytes()),
                root.hasNonNull("tls_certificate") ? Optional.of(Path.of(text(root, "tls_certificate", ""))) : Optional.empty(),
                root.hasNonNull("tls_key") ? Optional.of(Path.of(text(root, "tls_key", ""))) : Optional.empty(),
                bool(root, "unsafe_plain_http", d.unsafePlainHttp()), number(root, "rate_limit_per_second", d.rateLimitPerSecond()),
                (int) number(root, "rate_limit_burst", d.rateLimitBurst()),
                (int) number(root, "auth_failures_per_minute", d.authFailuresPerMinute()), learners,
                (int) number(root, "batch_max_rows", d.batchMaxRows()), (long) number(root, "batch_delay_us", d.batchDelayMicros()),
                (long) number(root, "request_timeout_ms", d.requestTimeoutMillis()), root.hasNonNull("jwt") ? Optional.of(jwt(root.get("jwt"))) : Optional.empty());
    }

    private static Jwt jwt(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.List<String> known = java.util.List.of("jwks_file", "jwks_url", "issuer", "audience", "role_claim", "models_claim");
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw MedmaasException.invalid("Unknown setting 'jwt." + k + "'; known: " + known + ".");
            }
        });
        return new Jwt(node.hasNonNull("jwks_file") ? Optional.of(Path.of(text(node, "jwks_file", ""))) : Optional.empty(),
                node.hasNonNull("jwks_url") ? JwtVerifier.uri(text(node, "jwks_url", "")) : Optional.empty(),
                text(node, "issuer", ""), text(node, "audience", ""), text(node, "role_claim", "roles"),
                text(node, "models_claim", "medmaas_models"));
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode root, String key, String fallback) {
        if (!root.has(key)) {
            return fallback;
        }
        if (!root.get(key).isTextual()) {
            throw MedmaasException.invalid("'" + key + "' must be text.");
        }
        return root.get(key).asText();
    }

    private static double number(com.fasterxml.jackson.databind.JsonNode root, String key, double fallback) {
        if (!root.has(key)) {
            return fallback;
        }
        if (!root.get(key).isNumber()) {
            throw MedmaasException.invalid("'" + key + "' must be a number.");
        }
        return root.get(key).asDouble();
    }

    private static boolean bool(com.fasterxml.jackson.databind.JsonNode root, String key, boolean fallback) {
        if (!root.has(key)) {
            return fallback;
        }
        if (!root.get(key).isBoolean()) {
            throw MedmaasException.invalid("'" + key + "' must be true or false.");
        }
        return root.get(key).asBoolean();
    }

    /** These settings with the given values in place of the current ones (the CLI's flags over the file). */
    public ServerSettings with(Optional<String> newHost, Optional<Integer> newPort, Optional<Path> certificate,
            Optional<Path> key, boolean unsafe, Optional<Double> perSecond) {
        return with(newHost, newPort, certificate, key, unsafe, perSecond, Optional.empty());
    }

    /** As {@link #with(Optional, Optional, Optional, Optional, boolean, Optional)}, with the burst too. */
    public ServerSettings with(Optional<String> newHost, Optional<Integer> newPort, Optional<Path> certificate,
            Optional<Path> key, boolean unsafe, Optional<Double> perSecond, Optional<Integer> burst) {
        return new ServerSettings(newHost.orElse(host), newPort.orElse(port), maxBodyBytes, certificate.or(() -> tlsCertificate),
                key.or(() -> tlsKey), unsafe || unsafePlainHttp, perSecond.orElse(rateLimitPerSecond), burst.orElse(rateLimitBurst),
                authFailuresPerMinute, batchLearners, batchMaxRows, batchDelayMicros, requestTimeoutMillis, jwt);
    }

    /**
     * The burst the rate limiter allows: as set, or twice the rate (at least 1) when not set, so
     * a limit of 5 a second lets 10 through at once, not a hundred.
     */
    public int effectiveRateLimitBurst() {
        return rateLimitBurst > 0 ? rateLimitBurst : (int) Math.max(1, Math.ceil(2 * rateLimitPerSecond));
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, maxBodyBytes, tlsCertificate, tlsKey, unsafePlainHttp, rateLimitPerSecond,
                rateLimitBurst, authFailuresPerMinute, batchLearners, batchMaxRows, batchDelayMicros, requestTimeoutMillis, jwt);
    }

    public ServerSettings withRateLimit(double perSecond, int burst) {
        return new ServerSettings(host, port, maxBodyBytes, tlsCertificate, tlsKey, unsafePlainHttp, perSecond, burst,
                authFailuresPerMinute, batchLearners, batchMaxRows, batchDelayMicros, requestTimeoutMillis, jwt);
    }

    public ServerSettings withAuthFailuresPerMinute(int perMinute) {
        return new ServerSettings(host, port, maxBodyBytes, tlsCertificate, tlsKey, unsafePlainHttp, rateLimitPerSecond,
                rateLimitBurst, perMinute, batchLearners, batchMaxRows, batchDelayMicros, requestTimeoutMillis, jwt);
    }

    public ServerSettings withJwt(Jwt tokens) {
        return new ServerSettings(host, port, maxBodyBytes, tlsCertificate, tlsKey, unsafePlainHttp, rateLimitPerSecond,
                rateLimitBurst, authFailuresPerMinute, batchLearners, batchMaxRows, batchDelayMicros, requestTimeoutMillis, Optional.of(tokens));
    }

    public ServerSettings withRequestTimeout(long millis) {
        return new ServerSettings(host, port, maxBodyBytes, tlsCertificate, tlsKey, unsafePlainHttp, rateLimitPerSecond,
                rateLimitBurst, authFailuresPerMinute, batchLearners, batchMaxRows, batchDelayMicros, millis, jwt);
    }

    public boolean https() {
        return tlsCertificate.isPresent();
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw MedmaasException.invalid("Unknown host '" + host + "'.");
        }
    }
}
