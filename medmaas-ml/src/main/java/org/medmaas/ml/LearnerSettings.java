package org.medmaas.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medmaas.core.error.MedmaasException;

/**
 * Hyperparameters chosen by the user, per learner, over the defaults: a YAML or JSON file such as
 * <pre>
 * mlp:
 *   hidden: [128, 64]
 *   dropout: 0.2
 * gbt:
 *   rounds: 300
 *   max_depth: 4
 * </pre>
 * Keys are the names the bundle manifest records; unknown learners or keys, and values of the
 * wrong type, are errors that name the key.
 *
 * @param byLearner learner name → key → value
 */
public record LearnerSettings(Map<String, Map<String, Object>> byLearner) {

    public LearnerSettings {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        byLearner.forEach((learner, values) -> copy.put(learner, Map.copyOf(values)));
        byLearner = Map.copyOf(copy);
    }

    /** The section of a settings file that holds search spaces rather than settings. */
    public static final String SEARCH_SECTION = "search";

    public static LearnerSettings none() {
        return new LearnerSettings(Map.of());
    }

    public Map<String, Object> of(String learner) {
        return byLearner.getOrDefault(learner, Map.of());
    }

    /** Reads a settings file and checks every learner and key against {@link Learners}. */
    public static LearnerSettings read(Path file) {
        Map<String, Map<String, Object>> raw;
        try {
            raw = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, Object>>>() {
                    });
            if (raw != null) {
                raw = new LinkedHashMap<>(raw);
                raw.remove(SEARCH_SECTION); // read by SearchSpace.read
            }
        } catch (NoSuchFileException e) {
            throw MedmaasException.notFound("The config file " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.invalid("The config file " + file + " is not a map of learner → settings: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        LearnerSettings settings = new LearnerSettings(raw == null ? Map.of() : raw);
        for (String learner : settings.byLearner().keySet()) {
            // Validates names, keys, types and ranges.
            if (Learners.SEQUENCE_NAMES.contains(learner)) {
                Learners.sequenceTrainer(learner, 0, settings);
            } else {
                Learners.trainer(learner, 0, settings);
            }
        }
        return settings;
    }

    /** A view of one learner's settings that hands out typed values and rejects keys nobody asked for. */
    static final class Reader {
        private final String learner;
        private final Map<String, Object> values;
        private final Set<String> asked = new TreeSet<>();

        Reader(String learner, Map<String, Object> values) {
            this.learner = learner;
            this.values = values;
        }

        double number(String key, double otherwise) {
            asked.add(key);
            Object v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            if (!(v instanceof Number n)) {
                throw wrongType(key, "a number");
            }
            return n.doubleValue();
        }

        int integer(String key, int otherwise) {
            double v = number(key, otherwise);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw wrongType(key, "a whole number");
            }
            return (int) v;
        }

        boolean flag(String key, boolean otherwise) {
            asked.add(key);
            Object v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            if (!(v instanceof Boolean b)) {
                throw wrongType(key, "true or false");
            }
            return b;
        }

        String text(String key, String otherwise) {
            asked.add(key);
            Object v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            if (!(v instanceof String s)) {
                throw wrongType(key, "text");
            }
            return s;
        }

        List<Integer> integers(String key, List<Integer> otherwise) {
            asked.add(key);
            Object v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            if (!(v instanceof List<?> list) || !list.stream().allMatch(e -> e instanceof Integer)) {
                throw wrongType(key, "a list of whole numbers, e.g. [64, 64]");
            }
            return list.stream().map(Integer.class::cast).toList();
        }

        /** Fails on any key that was given but never read. */
        void done() {
            for (String key : values.keySet()) {
                if (!asked.contains(key)) {
                    throw MedmaasException.invalid("Unknown setting '" + key + "' for " + learner + ". Known: "
                            + String.join(", ", asked) + ".");
                }
            }
        }

        private MedmaasException wrongType(String key, String expected) {
            return MedmaasException.invalid("Setting '" + key + "' for " + learner + " must be " + expected + ".");
        }
    }
}
