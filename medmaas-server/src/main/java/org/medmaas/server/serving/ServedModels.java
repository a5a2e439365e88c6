package org.medmaas.server.serving;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.serving.Service;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.ModelVersion;
import org.medmaas.registry.Stage;

/**
 * The models the server answers with, loaded from the registry on first use (or at start) and
 * kept. A reference (a version number, an alias, "latest") is resolved against the registry at
 * most once a second, so moving an alias switches new requests to the new version within a
 * second, while requests already running finish on the version they started with: nothing fails
 * or is dropped during the swap.
 */
public final class ServedModels {

    /**
     * A loaded version, with the shift monitor of the rows it scored since it was loaded (the last
     * {@value org.medmaas.data.shift.ShiftMonitor#DEFAULT_WINDOW}, as bins, not values).
     */
    public record Served(ModelVersion version, ServedModel model, org.medmaas.data.shift.ShiftMonitor shift) {
        public Served(ModelVersion version, ServedModel model) {
            this(version, model, new org.medmaas.data.shift.ShiftMonitor(model.inputs(),
                    org.medmaas.data.shift.ShiftMonitor.DEFAULT_WINDOW));
        }

        public String label() {
            return version.name() + "@" + version.version();
        }
    }

    private record Resolution(ModelVersion version, long expiresAtNanos) {
    }

    private static final long RESOLUTION_TTL_NANOS = 1_000_000_000L;

    private final ModelRegistry registry;
    private final Map<String, Service> services;
    private final Map<String, Served> loaded = new ConcurrentHashMap<>();
    private final Map<String, Resolution> resolutions = new ConcurrentHashMap<>();

    public ServedModels(ModelRegistry registry, List<Service> services) {
        this.registry = registry;
        Map<String, Service> byTask = new java.util.LinkedHashMap<>();
        services.forEach(s -> byTask.put(s.task(), s));
        this.services = Map.copyOf(byTask);
    }

    /**
     * The default reference when a request names none: the alias {@code champion} if the model
     * has one, else the latest version that is not archived.
     */
    public String defaultReference(String name) {
        return registry.aliases(name).containsKey("champion") ? "champion" : "latest";
    }

    public Served get(String name, String reference) {
        // Cached by the reference as given, so a request naming no version costs no query either.
        String key = name + "@" + reference;
        long now = System.nanoTime();
        Resolution r = resolutions.get(key);
        if (r == null || now - r.expiresAtNanos() > 0) {
            ModelVersion v = registry.resolve(name, reference.isEmpty() ? defaultReference(name) : reference);
            r = new Resolution(v, now + RESOLUTION_TTL_NANOS);
            resolutions.put(key, r);
        }
        ModelVersion version = r.version();
        if (version.stage() == Stage.ARCHIVED) {
            throw MedmaasException.notFound("Version " + version.version() + " of '" + name + "' is archived and not served.");
        }
        Service service = services.get(version.task());
        if (service == null) {
            throw MedmaasException.invalid("'" + name + "' is a " + version.task() + " model, which this server has no service for"
                    + " (it serves " + String.join(", ", services.keySet()) + ").");
        }
        String label = version.name() + "@" + version.version();
        Served served = loaded.get(label);
        if (served != null) {
            return served;
        }
        // A request waiting for a model goes first: the background preload holds back meanwhile
        // (on 2 cores, a load racing the preload took a third longer).
        boolean preloading = Thread.currentThread().getName().equals(PRELOAD_THREAD);
        if (!preloading) {
            requestLoads.incrementAndGet();
        }
        try {
            return loaded.computeIfAbsent(label, k -> new Served(version, service.load(ModelBundle.read(registry.bundle(version)))));
        } finally {
            if (!preloading) {
                requestLoads.decrementAndGet();
            }
        }
    }

    /** The name of the thread that runs {@link #preload()}. */
    public static final String PRELOAD_THREAD = "medmaas-preload";

    private final java.util.concurrent.atomic.AtomicInteger requestLoads = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Loads the versions aliases point to and each model's latest, so the first requests do not wait.
     * Runs on the {@value #PRELOAD_THREAD} thread; pauses while a request loads a model itself.
     */
    public int preload() throws InterruptedException {
        int n = 0;
        for (org.medmaas.registry.ModelSummary model : registry.summaries()) {
            for (String ref : model.aliases().keySet()) {
                n += tryLoad(model.name(), ref);
            }
            n += tryLoad(model.name(), "latest");
        }
        return n;
    }

    private int tryLoad(String name, String reference) throws InterruptedException {
        while (requestLoads.get() > 0) {
            Thread.sleep(5);
        }
        try {
            get(name, reference);
            return 1;
        } catch (MedmaasException e) {
            return 0; // an archived-only model, or one of no served task: refused when asked, with the reason
        }
    }

    /** Drops a version from memory (it is loaded again when asked for). */
    public boolean unload(String name, int version) {
        resolutions.clear();
        return loaded.remove(name + "@" + version) != null;
    }

    /** Forgets resolved references at once (after an alias or stage change made through this server). */
    public void refresh() {
        resolutions.clear();
    }

    public List<Served> loaded() {
        return List.copyOf(loaded.values());
    }
}
