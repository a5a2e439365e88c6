package org.medmaas.data.split;

import java.util.Random;

final class Shuffle {
    private Shuffle() {
    }

    /** A Fisher–Yates shuffled copy. */
    static int[] copy(int[] rows, Random random) {
        int[] out = rows.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
