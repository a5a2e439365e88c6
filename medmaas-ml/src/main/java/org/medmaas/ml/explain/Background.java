package org.medmaas.ml.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hipparchus.clustering.CentroidCluster;
import org.hipparchus.clustering.DoublePoint;
import org.hipparchus.clustering.KMeansPlusPlusClusterer;
import org.hipparchus.clustering.distance.EuclideanDistance;
import org.hipparchus.random.Well19937c;
import org.medmaas.core.error.MedmaasException;

/**
 * The reference distribution a model-agnostic explanation removes features to: a few weighted
 * points in the model's feature space. It is stored in model bundles, so it never holds a
 * patient's row: each point is the mean of at least {@code minGroupSize} training rows (k-means
 * clusters, with clusters below that size merged into their nearest neighbour), weighted by its
 * share of the rows.
 *
 * @param points  the reference points (rows × features)
 * @param weights each point's weight; they sum to 1
 */
public record Background(@JsonProperty("points") double[][] points, @JsonProperty("weights") double[] weights) {

    /** Rows averaged into each point, at least. */
    public static final int MIN_GROUP_SIZE = 10;

    public Background {
        if (points.length == 0 || points.length != weights.length) {
            throw MedmaasException.invalid("A background needs at least one point and a weight per point.");
        }
        double total = 0;
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != points[0].length) {
                throw MedmaasException.invalid("Background points differ in width.");
            }
            total += weights[i];
        }
        if (Math.abs(total - 1) > 1e-9) {
            throw MedmaasException.invalid("Background weights sum to " + total + ", not 1.");
        }
        points = Arrays.stream(points).map(double[]::clone).toArray(double[][]::new);
        weights = weights.clone();
    }

    public int width() {
        return points[0].length;
    }

    /**
     * A single point at the origin: the fallback for training sets too small to summarize
     * without storing a patient's values. After standard scaling the origin is the training mean
     * of each number (and "no category" for one-hot columns).
     */
    public static Background origin(int width) {
        return new Background(new double[][] {new double[width]}, new double[] {1.0});
    }

    /**
     * Summarizes training rows into at most {@code maxPoints} cluster means of at least
     * {@value #MIN_GROUP_SIZE} rows each (k-means++, seeded). Fewer rows than that give a
     * single point, the mean of all; no rows at all is an error.
     */
    public static Background summarize(double[][] rows, int maxPoints, long seed) {
        if (rows.length < MIN_GROUP_SIZE) {
            throw MedmaasException.invalid("An explanation background needs at least " + MIN_GROUP_SIZE
                    + " rows, so that no stored point is one patient's values; got " + rows.length + ".");
        }
        int k = Math.max(1, Math.min(maxPoints, rows.length / MIN_GROUP_SIZE));
        List<DoublePoint> data = new ArrayList<>(rows.length);
        for (double[] r : rows) {
            data.add(new DoublePoint(r));
        }
        List<List<double[]>> groups = new ArrayList<>();
        if (k == 1) {
            groups.add(Arrays.asList(rows));
        } else {
            List<CentroidCluster<DoublePoint>> clusters = new KMeansPlusPlusClusterer<DoublePoint>(k, 100,
                    new EuclideanDistance(), new Well19937c(seed)).cluster(data);
            for (CentroidCluster<DoublePoint> c : clusters) {
                groups.add(c.getPoints().stream().map(DoublePoint::getPoint).toList());
            }
        }
        mergeSmallGroups(groups);
        double[][] points = new double[groups.size()][];
        double[] weights = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            points[g] = mean(groups.get(g));
            weights[g] = groups.get(g).size() / (double) rows.length;
        }
        return new Background(points, normalized(weights));
    }

    /** Moves the rows of each group smaller than the minimum, smallest first, to the nearest remaining group. */
    private static void mergeSmallGroups(List<List<double[]>> groups) {
        groups.removeIf(List::isEmpty);
        while (groups.size() > 1) {
            List<double[]> smallest = groups.stream().min(Comparator.comparingInt(List::size)).orElseThrow();
            if (smallest.size() >= MIN_GROUP_SIZE) {
                return;
            }
            groups.remove(smallest);
            double[][] centers = groups.stream().map(Background::mean).toArray(double[][]::new);
            List<List<double[]>> grown = new ArrayList<>();
            for (List<double[]> g : groups) {
                grown.add(new ArrayList<>(g));
            }
            for (double[] row : smallest) {
                int nearest = 0;
                for (int g = 1; g < centers.length; g++) {
                    if (distance(row, centers[g]) < distance(row, centers[nearest])) {
                        nearest = g;
                    }
                }
                grown.get(nearest).add(row);
            }
            groups.clear();
            groups.addAll(grown);
        }
    }

    private static double[] mean(List<double[]> rows) {
        double[] out = new double[rows.get(0).length];
        for (double[] r : rows) {
            for (int j = 0; j < out.length; j++) {
                out[j] += r[j];
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= rows.size();
        }
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double d = 0;
        for (int j = 0; j < a.length; j++) {
            d += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return d;
    }

    private static double[] normalized(double[] w) {
        double total = Arrays.stream(w).sum();
        return Arrays.stream(w).map(v -> v / total).toArray();
    }
}
