package org.medmaas.data.profile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.data.stats.TestResult;

/**
 * What a table holds: per column type, missingness, distinct values, summary statistics and
 * outliers; the target's class balance; and each feature's association with the target.
 * Values of identifier and text columns never appear in a profile.
 */
public record DataProfile(String source, int rows, int columns, List<ColumnProfile> columnProfiles,
        Optional<TargetProfile> target, List<FeatureAssociation> associations) {

    public DataProfile {
        columnProfiles = List.copyOf(columnProfiles);
        associations = List.copyOf(associations);
    }

    /** Summary of a numeric column's present values. */
    public record NumericSummary(double mean, double sd, double min, double q1, double median, double q3, double max,
            int zScoreOutliers, int iqrOutliers) {
    }

    /**
     * @param topLevels up to five most frequent levels with counts (categorical and boolean only)
     */
    public record ColumnProfile(String name, String type, int missing, double missingShare, int distinct,
            Optional<NumericSummary> numeric, Map<String, Integer> topLevels) {
        public ColumnProfile {
            topLevels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(topLevels));
        }
    }

    /** Class counts of the target, in class order. */
    public record TargetProfile(String name, Map<String, Integer> classCounts) {
        public TargetProfile {
            classCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classCounts));
        }
    }

    /**
     * A feature's test against the target. {@code primary} decides the order (ANOVA for numeric
     * features, χ² for categorical ones, Spearman for a numeric target); {@code secondary} is the
     * rank-based check for numeric features (Kruskal–Wallis), when computed.
     */
    public record FeatureAssociation(String feature, TestResult primary, Optional<TestResult> secondary) {
    }
}
