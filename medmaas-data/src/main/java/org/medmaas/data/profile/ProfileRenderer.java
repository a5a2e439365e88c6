package org.medmaas.data.profile;

import org.medmaas.core.json.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Locale;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.data.stats.TestResult;

/** Renders a {@link DataProfile} as a terminal report or a JSON document. */
public final class ProfileRenderer {

    private static final com.fasterxml.jackson.databind.ObjectWriter JSON = Json.MAPPER.writerWithDefaultPrettyPrinter();

    public String toJson(DataProfile profile) {
        try {
            return JSON.writeValueAsString(profile);
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not render the profile as JSON.", e);
        }
    }

    /** Several profiles (a folder of files) as one JSON array. */
    public String toJson(java.util.List<DataProfile> profiles) {
        try {
            return JSON.writeValueAsString(profiles);
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not render the profiles as JSON.", e);
        }
    }

    public String toText(DataProfile p) {
        StringBuilder out = new StringBuilder();
        out.append(p.source()).append(": ").append(p.rows()).append(" rows × ").append(p.columns())
                .append(" columns\n\n");
        int nameWidth = Math.max(6, p.columnProfiles().stream().mapToInt(c -> c.name().length()).max().orElse(6));
        nameWidth = Math.min(nameWidth, 32);
        String head = "%-" + nameWidth + "s  %-11s %8s %8s %10s %10s %10s %10s %10s %6s %6s%n";
        out.append(String.format(Locale.ROOT, head, "column", "type", "missing", "distinct", "mean", "sd", "min",
                "median", "max", "z>3", "iqr"));
        for (DataProfile.ColumnProfile c : p.columnProfiles()) {
            String name = truncate(c.name(), nameWidth);
            if (c.numeric().isPresent()) {
                DataProfile.NumericSummary s = c.numeric().get();
                out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-11s %7.1f%% %8d %10s %10s %10s %10s %10s %6d %6d%n",
                        name, c.type(), 100 * c.missingShare(), c.distinct(), num(s.mean()), num(s.sd()), num(s.min()),
                        num(s.median()), num(s.max()), s.zScoreOutliers(), s.iqrOutliers()));
            } else {
                String levels = c.topLevels().isEmpty() ? "" : "  top: " + levels(c.topLevels());
                out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-11s %7.1f%% %8d%s%n", name, c.type(),
                        100 * c.missingShare(), c.distinct(), levels));
            }
        }
        p.target().ifPresent(t -> {
            out.append("\nTarget '").append(t.name()).append("' class balance:\n");
            int total = t.classCounts().values().stream().mapToInt(Integer::intValue).sum();
            t.classCounts().forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-20s %8d  %5.1f%%  %s%n",
                    truncate(k, 20), v, 100.0 * v / total, "#".repeat((int) Math.round(40.0 * v / total)))));
        });
        if (!p.associations().isEmpty()) {
            out.append("\nFeatures against the target, strongest first:\n");
            out.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s  %-24s %10s %12s  %-22s %12s%n", "feature", "test",
                    "statistic", "p-value", "effect size", "rank test p"));
            for (DataProfile.FeatureAssociation a : p.associations()) {
                TestResult r = a.primary();
                out.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s  %-24s %10s %12s  %-22s %12s%n",
                        truncate(a.feature(), nameWidth), r.test(), num(r.statistic()), pValue(r.pValue()),
                        r.effectSizeName() + " " + num(r.effectSize()),
                        a.secondary().map(s -> pValue(s.pValue())).orElse("")));
            }
        }
        return out.toString();
    }

    private static String levels(Map<String, Integer> top) {
        StringBuilder s = new StringBuilder();
        top.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(truncate(k, 16)).append(" (").append(v).append(')'));
        return s.toString();
    }

    private static String truncate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        return p < 1e-4 ? String.format(Locale.ROOT, "%.2e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
