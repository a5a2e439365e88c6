package org.medmaas.data.mimic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.data.clinical.ClinicalRecords;

class MimicRecordsTest {

    static final Path DEMO = Path.of("..", "..", "shared", "datasets", "mimic-iii-demo");

    @Test
    void readsTheDemoIntoCanonicalTables() {
        assumeTrue(Files.isDirectory(DEMO), "shared dataset folder absent: " + DEMO);
        ClinicalRecords r = MimicRecords.read(DEMO);
        // Row counts from the dataset's README.
        assertThat(r.patients().rowCount()).isEqualTo(100);
        assertThat(r.encounters().rowCount()).isEqualTo(129);
        assertThat(r.conditions().rowCount()).isEqualTo(1761);
        assertThat(r.procedures().rowCount()).isEqualTo(506);
        assertThat(r.medications().rowCount()).isEqualTo(10398);
        assertThat(r.conditions().column("system").format(0)).isEqualTo("ICD9");
        assertThat(r.conditions().dateTime("onset").missingCount()).isZero();
        // ICD-9 codes keep their leading zeros (they are codes, not numbers).
        assertThat(r.conditions().categorical("code").levels()).anyMatch(c -> c.startsWith("0"));
    }

    @Test
    void refusesAFolderWithoutPatients(@TempDir Path dir) {
        assertThatThrownBy(() -> MimicRecords.read(dir)).hasMessageContaining("no PATIENTS.csv");
    }
}
