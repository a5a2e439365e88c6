package org.medmaas.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded generators for benchmark inputs, written as CSV so that MedMaaS and its Python peers
 * read exactly the same bytes.
 */
final class SyntheticData {

    private SyntheticData() {
    }

    /**
     * {@code rows × numeric} lab-like values (about 2 % missing, some long tails) plus
     * {@code categorical} columns with 3–12 levels and a binary outcome.
     */
    static void write(Path file, int rows, int numeric, int categorical, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder();
            for (int j = 0; j < numeric; j++) {
                header.append(j == 0 ? "" : ",").append("lab").append(j);
            }
            for (int j = 0; j < categorical; j++) {
                header.append(",cat").append(j);
            }
            header.append(",outcome\n");
            out.write(header.toString());
            StringBuilder line = new StringBuilder(numeric * 10);
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                double risk = 0;
                for (int j = 0; j < numeric; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    if (random.nextDouble() < 0.02) {
                        continue;
                    }
                    double v = j % 5 == 0 ? Math.exp(random.nextDouble() * 3) : 50 + 15 * gaussian(random);
                    risk += j < 5 ? v / 100 : 0;
                    line.append(String.format(Locale.ROOT, "%.3f", v));
                }
                for (int j = 0; j < categorical; j++) {
                    int levels = 3 + j % 10;
                    line.append(",c").append(random.nextInt(levels));
                }
                line.append(risk + gaussian(random) > 2.7 ? ",1\n" : ",0\n");
                out.write(line.toString());
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; SplittableRandom has no nextGaussian before Java 17's RandomGenerator default.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
