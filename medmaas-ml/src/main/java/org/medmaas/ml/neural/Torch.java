package org.medmaas.ml.neural;

import ai.djl.engine.Engine;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * The PyTorch engine of DJL, configured once for small machines. PyTorch's default thread pools
 * spin-wait on every core and made training 10–40× slower on 2 cores in our trial, so intra- and
 * inter-op threads default to 1 (override with the system properties
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}). The natives
 * come from the {@code pytorch-native-cpu} jar on the class path and DJL runs offline: nothing is
 * downloaded. DJL extracts the natives once to its cache ({@code DJL_CACHE_DIR}, by default
 * {@code ~/.djl.ai}).
 */
final class Torch {

    private static final Object SEED_LOCK = new Object();

    static {
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.offline", "true");
    }

    private Torch() {
    }

    static Engine engine() {
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "The PyTorch engine could not start (" + e.getMessage()
                    + "). It needs Linux x86-64 with glibc 2.29 or newer.", e);
        }
    }

    /**
     * A lock for work that must see one seed: PyTorch's random generator is global, so seeded
     * trainings run one at a time.
     */
    static Object seedLock() {
        return SEED_LOCK;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_')) == null) {
            System.setProperty(key, value);
        }
    }
}
