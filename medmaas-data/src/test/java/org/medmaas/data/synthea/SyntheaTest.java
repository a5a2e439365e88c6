package org.medmaas.data.synthea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;

class SyntheaTest {

    /** Built by the medmaas-synthea-runtime module, which the reactor builds before this one. */
    static final Path SYNTHEA_LIB = Path.of("..", "medmaas-synthea-runtime", "target", "lib");
    static final Path SHARED_EXPORT = Path.of("..", "..", "shared", "datasets", "synthea", "set-a-111-patients");

    @Test
    void generatesTheSameCohortForTheSameSeedAndReadsItWithDeclaredTypes(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(SYNTHEA_LIB), "Synthea runtime not built at " + SYNTHEA_LIB
                + " (run the whole reactor: ./mvnw verify)");
        SyntheaGenerator generator = SyntheaGenerator.forCurrentJvm(SYNTHEA_LIB);
        List<Integer> progress = new ArrayList<>();
        SyntheaGenerator.Result first = generator.generate(
                new SyntheaGenerator.Request(5, 42, dir.resolve("a"), false), progress::add);
        SyntheaGenerator.Result second = generator.generate(
                new SyntheaGenerator.Request(5, 42, dir.resolve("b"), false), n -> { });
        assertThat(progress).isNotEmpty().last().isEqualTo(first.peopleSimulated());
        assertThat(first.peopleSimulated()).isGreaterThanOrEqualTo(5);
        Map<String, Table> a = SyntheaExport.read(first.csvDir());
        Map<String, Table> b = SyntheaExport.read(second.csvDir());
        assertThat(a.keySet()).containsAll(List.of("patients", "encounters", "conditions", "observations"));
        assertThat(a.get("patients").rowCount()).isEqualTo(b.get("patients").rowCount());
        // Synthea simulates people on several threads, so row order may differ; the rows may not.
        assertThat(Files.readAllLines(first.csvDir().resolve("conditions.csv")).stream().sorted().toList())
                .isEqualTo(Files.readAllLines(second.csvDir().resolve("conditions.csv")).stream().sorted().toList());
        assertThat(a.get("observations").column("CODE").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(a.get("patients").column("Id").type()).isEqualTo(ColumnType.IDENTIFIER);
        assertThat(dir.resolve("a")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".synthea-"));

        assertThatThrownBy(() -> generator.generate(new SyntheaGenerator.Request(5, 42, dir.resolve("a"), false), n -> { }))
                .hasMessageContaining("already holds a cohort");
    }

    @Test
    void readsTheSharedSyntheaExport() {
        assumeTrue(Files.isDirectory(SHARED_EXPORT), "shared dataset folder absent: " + SHARED_EXPORT);
        Map<String, Table> tables = SyntheaExport.read(SHARED_EXPORT);
        assertThat(tables.get("patients").rowCount()).isGreaterThanOrEqualTo(111);
        assertThat(tables.get("patients").column("SSN").type()).isEqualTo(ColumnType.IDENTIFIER);
        assertThat(tables.get("medications").column("CODE").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(tables.get("conditions").column("START").type()).isEqualTo(ColumnType.DATETIME);
    }

    @Test
    void refusesAFolderThatIsNotAnExport(@TempDir Path dir) {
        assertThatThrownBy(() -> SyntheaExport.read(dir)).hasMessageContaining("no patients.csv");
        assertThatThrownBy(() -> new SyntheaGenerator.Request(0, 1, dir, false)).hasMessageContaining("--patients");
    }
}
