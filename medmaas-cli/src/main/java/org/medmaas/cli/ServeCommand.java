package org.medmaas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;
import org.medmaas.server.MedmaasServer;
import org.medmaas.server.ServerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medmaas serve}: the HTTP server over the registry, until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the registry's models over HTTP: the Open Inference Protocol v2 (/v2/...), the diagnosis",
                "service API (/api/v1/diagnosis/...), the management API (/api/v1/...), /metrics and /openapi.",
                "Every route but /v2/health/* needs an API key (medmaas keys create); every call is audited.",
                "Plain HTTP is served on loopback only; give --tls-cert and --tls-key (PEM) for HTTPS elsewhere.",
                "The CLI keeps working on the same registry while the server runs (backup, keys, audit)."})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOption registry;

    @Option(names = "--config", paramLabel = "FILE", description = "Server settings (YAML; see examples/server.yaml).")
    Path config;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Listen address (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain: serve HTTPS.")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8 PEM) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--unsafe-plain-http", description = "Allow plain HTTP on a non-loopback address (behind a TLS proxy only).")
    boolean unsafePlainHttp;

    @Option(names = "--rate-limit", paramLabel = "PER-SECOND", description = "Requests per second per API key (default: none).")
    Double rateLimit;

    @Option(names = "--rate-burst", paramLabel = "N",
            description = "Requests a key may send at once above --rate-limit (default: twice the rate).")
    Integer rateBurst;

    @Option(names = "--auth-failure-limit", paramLabel = "PER-MINUTE", description = "Failed authentications a client address"
            + " may make a minute; past it, that address gets 429 on routes that need credentials (default: 30; 0: no limit).")
    Integer authFailureLimit;

    /** Set by tests and the quickstart to stop after a while instead of waiting for Ctrl-C. */
    @Option(names = "--stop-after", hidden = true, paramLabel = "SECONDS")
    Integer stopAfterSeconds;

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings = (config == null ? ServerSettings.defaults() : ServerSettings.read(config)).with(
                Optional.ofNullable(host), Optional.ofNullable(port), Optional.ofNullable(tlsCertificate), Optional.ofNullable(tlsKey),
                unsafePlainHttp, Optional.ofNullable(rateLimit), Optional.ofNullable(rateBurst));
        if (authFailureLimit != null) {
            settings = settings.withAuthFailuresPerMinute(authFailureLimit);
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelRegistry r = registry.open();
        MedmaasServer server;
        try {
            server = new MedmaasServer(r, settings, registry.home).start();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        serveUntilStopped(server, r, out, registry.home, stopAfterSeconds);
        return 0;
    }

    /** Prints where the server listens, then blocks until Ctrl-C (or the given seconds); closes everything on the way out. */
    static void serveUntilStopped(MedmaasServer server, ModelRegistry r, PrintWriter out, Path home, Integer stopAfterSeconds)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        // In order: stop taking requests and let those in flight finish, write the counted refusals,
        // commit the audit log's queue and checkpoint it, then close the database.
        // Only the first signal stops; a second one (Ctrl-C twice) waits for that stop to end, so
        // the process never exits halfway through it; the latch opens even if a close fails.
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    server.close();
                } finally {
                    try {
                        r.close();
                    } finally {
                        stopped.countDown();
                    }
                }
            } else {
                // A second signal: give the stop under way 10 s more, then end the process anyway
                // (a stop that hangs must not make Ctrl-C useless).
                try {
                    if (!stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        System.err.println("medmaas: the stop did not finish; ending now (the audit journal is replayed"
                                + " at the next start).");
                        Runtime.getRuntime().halt(130);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Thread hook = new Thread(stop, "medmaas-shutdown");
        // The hook is the fallback (System.exit elsewhere, or no signal support): it races the
        // database's own hook, which a signal handler does not.
        AutoCloseable signals = Termination.onSignal(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf(Locale.ROOT, "MedMaaS %s serving %d model(s) from %s at %s%n", MedmaasServer.version(),
                r.models().size(), home, server.baseUrl());
        out.println("  health:   " + server.baseUrl() + "/v2/health/ready");
        out.println("  API:      " + server.baseUrl() + "/docs (Swagger UI over /openapi; docs/api.md)");
        out.printf(Locale.ROOT, "  heap:     at most %.1f GiB (MEDMAAS_HEAP)%n", Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        boolean hasAdmin = r.apiKeys().list().stream().anyMatch(k -> k.role() == Role.ADMIN && k.activeAt(java.time.Instant.now()));
        if (!hasAdmin) {
            out.println("  No admin key yet; in another terminal: ./medmaas keys create --owner \"$USER\" --role admin");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            if (stopAfterSeconds != null) {
                Thread.sleep(stopAfterSeconds * 1000L);
                Runtime.getRuntime().removeShutdownHook(hook);
                hook.run();
            } else {
                stopped.await();
                removeHook(hook);
            }
        } finally {
            try {
                signals.close();
            } catch (Exception e) {
                // the previous handlers could not be put back: the process is ending anyway
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook has run or will find the work done
        }
    }
}
