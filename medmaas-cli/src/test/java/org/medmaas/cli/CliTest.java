package org.medmaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real CLI in-process and checks output and exit codes. */
class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("--help").code()).isZero();
        assertThat(run("data", "--help").out()).contains("profile");
        assertThat(run("data", "profile", "--help").out()).contains("--target");
    }

    @Test
    void profilePrintsTableClassBalanceAndTests(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("patient_id,glucose,sex,outcome\n");
        for (int i = 0; i < 60; i++) {
            boolean sick = i % 3 == 0;
            csv.append("P").append(i).append(',').append(sick ? 150 + i % 7 : 95 + i % 11).append(',')
                    .append(i % 2 == 0 ? "F" : "M").append(',').append(sick ? "yes" : "no").append('\n');
        }
        csv.append("P99,,F,no\n");
        Path file = dir.resolve("cohort.csv");
        Files.writeString(file, csv);
        Path json = dir.resolve("profile.json");
        Run r = run("data", "profile", file.toString(), "--target", "outcome", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("61 rows × 4 columns").contains("identifier").contains("Target 'outcome'")
                .contains("one-way ANOVA").contains("chi-square").doesNotContain("P99");
        assertThat(Files.readString(json)).contains("\"associations\"").contains("\"missingShare\"");
    }

    @Test
    void badInputGivesMessageAndExitCodeWithoutStackTrace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b\n1,2\n3\n");
        Run ragged = run("data", "profile", file.toString());
        assertThat(ragged.code()).isEqualTo(2);
        assertThat(ragged.err()).startsWith("error: ").contains("line 3").doesNotContain("Exception").doesNotContain("\tat ");
        Run unknownTarget = run("data", "profile", dir.resolve("bad.csv").toString().replace("bad", "none"));
        assertThat(unknownTarget.code()).isEqualTo(3);
        Files.writeString(file, "a,b\n1,2\n");
        Run target = run("data", "profile", file.toString(), "--target", "c");
        assertThat(target.code()).isEqualTo(3);
        assertThat(target.err()).contains("Target column 'c'");
    }
}
