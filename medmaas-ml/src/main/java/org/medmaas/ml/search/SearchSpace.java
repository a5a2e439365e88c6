package org.medmaas.ml.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * Where a hyperparameter search looks, per learner and setting. Written in YAML (the {@code search}
 * section of a learners file, e.g. {@code examples/learners.yaml}) as
 * <pre>
 * gbt:
 *   max_depth: [2, 6]             # whole numbers: uniform over 2..6
 *   subsample: [0.5, 1.0]         # uniform over the interval
 *   eta: {log: [0.01, 0.3]}       # log-uniform
 *   balanced: {choice: [false, true]}
 * </pre>
 * The keys are the learner's settings (as {@code --config} takes them); a value outside what the
 * learner accepts is refused when the learner is built from it.
 *
 * @param byLearner learner → setting → where to draw it from
 */
public record SearchSpace(Map<String, Map<String, Dimension>> byLearner) {

    /** The built-in spaces (the same as the {@code search} section of examples/learners.yaml). */
    public static final String DEFAULTS_RESOURCE = "search-spaces.yaml";

    public SearchSpace {
        Map<String, Map<String, Dimension>> copy = new LinkedHashMap<>();
        byLearner.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        byLearner = java.util.Collections.unmodifiableMap(copy);
    }

    /** One setting's range. */
    public sealed interface Dimension {
        Object sample(Random random);
    }

    /** Whole numbers from {@code low} to {@code high}, both included. */
    public record IntRange(int low, int high) implements Dimension {
        @Override
        public Object sample(Random random) {
            return low + random.nextInt(high - low + 1);
        }
    }

    /** A number drawn uniformly from [low, high]. */
    public record Uniform(double low, double high) implements Dimension {
        @Override
        public Object sample(Random random) {
            return low + random.nextDouble() * (high - low);
        }
    }

    /** A number whose logarithm is uniform over [log low, log high] (learning rates, regularization). */
    public record LogUniform(double low, double high) implements Dimension {
        @Override
        public Object sample(Random random) {
            return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
        }
    }

    /** One of the listed values (numbers, flags, text or lists). */
    public record Choice(List<Object> values) implements Dimension {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public Object sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    /** The space of one learner (empty when it has none: only its defaults are tried). */
    public Map<String, Dimension> of(String learner) {
        return byLearner.getOrDefault(learner, Map.of());
    }

    /** This space with {@code other}'s learners replacing the same learners' here. */
    public SearchSpace overriddenBy(SearchSpace other) {
        Map<String, Map<String, Dimension>> merged = new LinkedHashMap<>(byLearner);
        merged.putAll(other.byLearner);
        return new SearchSpace(merged);
    }

    /** The built-in spaces. */
    public static SearchSpace defaults() {
        try (InputStream in = SearchSpace.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new MedmaasException(ErrorCode.INTERNAL, "The built-in search spaces are missing from the build.");
            }
            Map<?, ?> tree = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
            return parse(tree, "the built-in search spaces");
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "The built-in search spaces are unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code search} section of a learners file (as {@code --config} takes it), over the
     * built-in spaces: a learner named there replaces its built-in space; the others keep theirs.
     */
    public static SearchSpace read(java.nio.file.Path file) {
        Map<?, ?> tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readValue(java.nio.file.Files.readAllBytes(file), Map.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw MedmaasException.notFound("The config file " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.invalid("The config file " + file + " is not valid YAML or JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        Object section = tree == null ? null : tree.get(org.medmaas.ml.LearnerSettings.SEARCH_SECTION);
        if (section == null) {
            return defaults();
        }
        if (!(section instanceof Map<?, ?> spaces)) {
            throw MedmaasException.invalid("In " + file + ", search must be a map of learner → setting → range.");
        }
        return defaults().overriddenBy(parse(spaces, file.toString()));
    }

    /** Parses a learner → setting → range map; {@code where} names it in errors. */
    public static SearchSpace parse(Map<?, ?> tree, String where) {
        Map<String, Map<String, Dimension>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> learner : tree.entrySet()) {
            if (!(learner.getValue() instanceof Map<?, ?> settings)) {
                throw MedmaasException.invalid("In " + where + ", search." + learner.getKey()
                        + " must be a map of setting → range.");
            }
            Map<String, Dimension> dims = new LinkedHashMap<>();
            for (Map.Entry<?, ?> s : settings.entrySet()) {
                dims.put(String.valueOf(s.getKey()), dimension(s.getValue(), where + ", search." + learner.getKey() + "."
                        + s.getKey()));
            }
            out.put(String.valueOf(learner.getKey()), dims);
        }
        return new SearchSpace(out);
    }

    private static Dimension dimension(Object value, String where) {
        if (value instanceof List<?> range) {
            return range(range, false, where);
        }
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            Object inner = m.values().iterator().next();
            String kind = String.valueOf(m.keySet().iterator().next());
            if (kind.equals("log") && inner instanceof List<?> range) {
                return range(range, true, where);
            }
            if (kind.equals("choice") && inner instanceof List<?> values && !values.isEmpty()) {
                return new Choice(List.copyOf(values));
            }
        }
        throw MedmaasException.invalid(where + " must be [low, high], {log: [low, high]} or {choice: [a, b, ...]}.");
    }

    private static Dimension range(List<?> range, boolean log, String where) {
        if (range.size() != 2 || !(range.get(0) instanceof Number a) || !(range.get(1) instanceof Number b)) {
            throw MedmaasException.invalid(where + " must be two numbers, [low, high].");
        }
        double low = a.doubleValue();
        double high = b.doubleValue();
        if (!(low <= high) || log && !(low > 0)) {
            throw MedmaasException.invalid(where + " needs low ≤ high" + (log ? ", both above 0 on a log scale." : "."));
        }
        if (log) {
            return new LogUniform(low, high);
        }
        if (a instanceof Integer && b instanceof Integer) {
            return new IntRange(a.intValue(), b.intValue());
        }
        return new Uniform(low, high);
    }
}
