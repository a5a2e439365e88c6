package org.medmaas.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

class PowerTransformTest {

    @Test
    void boxCoxLambdaMatchesScipy() {
        double[] x = {1.2, 2.4, 3.1, 4.8, 5.0, 6.7, 7.1, 8.9, 9.3, 10.5, 25.0};
        // scipy.stats.boxcox(x)[1] with SciPy 1.10.1
        assertThat(PowerTransform.boxCoxLambda(x)).isCloseTo(0.09713017225192666, within(1e-6));
    }

    @Test
    void refusesNonPositiveValuesNamingTheColumn() {
        Table t = Table.of(NumericColumn.of("insulin", 0, 5, 10));
        PowerTransform log = new PowerTransform(List.of(), PowerTransform.Method.LOG, 0);
        assertThatThrownBy(() -> log.fit(t)).hasMessageContaining("insulin").hasMessageContaining("offset");
        Table logged = new PowerTransform(List.of(), PowerTransform.Method.LOG, 1).fit(t).apply(t);
        assertThat(logged.numeric("insulin").get(2)).isCloseTo(Math.log(11), within(1e-12));
    }
}
