package org.medmaas.ml.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.json.Json;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Explanation;

/**
 * A weighted average of fitted models on the same features. Two classes: the members' log-odds
 * are averaged (their probabilities clipped to [1e-7, 1 − 1e-7] first), so each member's additive
 * explanation, weighted, adds up to the ensemble's log-odds; several classes: the probabilities are
 * averaged. In a bundle, {@value #FILE} lists the members and each member's files carry the prefix
 * {@code m<i>-}.
 */
public final class EnsembleModel implements ExplainableClassifier {

    public static final String FILE = "ensemble.json";
    private static final double CLIP = 1e-7;

    /** One member: its learner's name, its weight and the fitted model. */
    public record Member(String learner, double weight, ProbabilisticClassifier model) {
    }

    private final List<Member> members;

    public EnsembleModel(List<Member> members) {
        if (members.size() < 2) {
            throw MedmaasException.invalid("An ensemble needs at least two members.");
        }
        double total = members.stream().mapToDouble(Member::weight).sum();
        if (!(Math.abs(total - 1) < 1e-9) || members.stream().anyMatch(m -> !(m.weight() > 0))) {
            throw MedmaasException.invalid("Ensemble weights must be positive and add up to 1.");
        }
        for (Member m : members) {
            if (!m.model().featureNames().equals(members.get(0).model().featureNames())
                    || !m.model().classes().equals(members.get(0).model().classes())) {
                throw MedmaasException.invalid("Ensemble members must share their features and classes.");
            }
        }
        this.members = List.copyOf(members);
    }

    public List<Member> members() {
        return members;
    }

    @Override
    public List<String> classes() {
        return members.get(0).model().classes();
    }

    @Override
    public List<String> featureNames() {
        return members.get(0).model().featureNames();
    }

    @Override
    public double[][] predictProbabilities(double[][] x) {
        List<double[][]> each = new ArrayList<>();
        for (Member m : members) {
            each.add(m.model().predictProbabilities(x));
        }
        double[] weights = members.stream().mapToDouble(Member::weight).toArray();
        return combine(each, weights);
    }

    /** The ensemble's probabilities from its members' (rows × classes each), as {@link #predictProbabilities} combines them. */
    static double[][] combine(List<double[][]> each, double[] weights) {
        int rows = each.get(0).length;
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            int classes = each.get(0)[i].length;
            if (classes == 2) {
                double logit = 0;
                for (int m = 0; m < each.size(); m++) {
                    logit += weights[m] * logit(each.get(m)[i][1]);
                }
                double p = 1 / (1 + Math.exp(-logit));
                out[i] = new double[] {1 - p, p};
            } else {
                out[i] = new double[classes];
                for (int m = 0; m < each.size(); m++) {
                    for (int c = 0; c < classes; c++) {
                        out[i][c] += weights[m] * each.get(m)[i][c];
                    }
                }
            }
        }
        return out;
    }

    private static double logit(double p) {
        double q = Math.min(1 - CLIP, Math.max(CLIP, p));
        return Math.log(q / (1 - q));
    }

    /**
     * The weighted sum of the members' explanations. Exact for the log-odds when no member's
     * probability was clipped: each member's baseline plus contributions is its log-odds.
     */
    @Override
    public Explanation explain(double[] row) {
        double baseline = 0;
        double[] contributions = new double[featureNames().size()];
        for (Member m : members) {
            if (!(m.model() instanceof ExplainableClassifier e)) {
                throw MedmaasException.invalid("The ensemble member " + m.learner() + " gives no explanations.");
            }
            Explanation x = e.explain(row);
            baseline += m.weight() * x.baseline();
            for (int j = 0; j < contributions.length; j++) {
                contributions[j] += m.weight() * x.contributions()[j];
            }
        }
        return new Explanation(baseline, contributions, featureNames());
    }

    @Override
    public Map<String, byte[]> nativeFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (!(m.model() instanceof ExplainableClassifier e)) {
                throw new MedmaasException(ErrorCode.INTERNAL, "The ensemble member " + m.learner() + " cannot be saved.");
            }
            String prefix = "m" + i + "-";
            e.nativeFiles().forEach((name, content) -> files.put(prefix + name, content));
            listed.add(Map.of("learner", m.learner(), "weight", m.weight(), "prefix", prefix));
        }
        files.put(FILE, Json.bytes(Map.of("members", listed)));
        return files;
    }

    /**
     * Rebuilds an ensemble from its bundle files; {@code loader} rebuilds each member from its own
     * files (the prefix removed).
     */
    public static EnsembleModel load(Map<String, byte[]> files, MemberLoader loader) {
        byte[] listing = files.get(FILE);
        if (listing == null) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The ensemble bundle lacks its member list " + FILE + ".");
        }
        com.fasterxml.jackson.databind.JsonNode root = Json.parse(new String(listing, StandardCharsets.UTF_8),
                "The ensemble's member list");
        List<Member> members = new ArrayList<>();
        if (!root.path("members").isArray()) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The ensemble's member list is not {members: [...]}.");
        }
        for (com.fasterxml.jackson.databind.JsonNode m : root.path("members")) {
            if (!m.path("learner").isTextual() || !m.path("weight").isNumber() || !m.path("prefix").isTextual()) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "An ensemble member lacks its learner, weight or prefix.");
            }
            String learner = m.path("learner").asText();
            String prefix = m.path("prefix").asText();
            double weight = m.path("weight").asDouble();
            Map<String, byte[]> own = new LinkedHashMap<>();
            files.forEach((name, content) -> {
                if (name.startsWith(prefix)) {
                    own.put(name.substring(prefix.length()), content);
                }
            });
            members.add(new Member(learner, weight, loader.load(learner, own)));
        }
        return new EnsembleModel(members);
    }

    /** Rebuilds one member from its files. */
    @FunctionalInterface
    public interface MemberLoader {
        ProbabilisticClassifier load(String learner, Map<String, byte[]> files);
    }
}
