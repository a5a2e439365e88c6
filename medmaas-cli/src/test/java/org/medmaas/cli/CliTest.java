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

    @Test
    void cohortFromFhirThenProfile(@TempDir Path dir) throws Exception {
        StringBuilder bundle = new StringBuilder("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [");
        for (int i = 0; i < 30; i++) {
            String p = "p" + i;
            bundle.append(i == 0 ? "" : ",").append("""
                    {"resource": {"resourceType": "Patient", "id": "%s", "gender": "%s", "birthDate": "19%d-01-01"}},
                    {"resource": {"resourceType": "Encounter", "id": "e%s", "status": "finished", "class": {"code": "AMB"},
                      "subject": {"reference": "Patient/%s"}, "period": {"start": "2019-05-01T09:00:00Z"}}},
                    {"resource": {"resourceType": "Observation", "id": "o%s", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                      "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "2019-05-01T09:10:00Z",
                      "valueQuantity": {"value": %d}}}
                    """.formatted(p, i % 2 == 0 ? "female" : "male", 40 + i, p, p, p, p, 110 + 2 * i));
            if (i % 3 == 0) {
                bundle.append("""
                        ,{"resource": {"resourceType": "Condition", "id": "c%s",
                          "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I10"}]},
                          "subject": {"reference": "Patient/%s"}, "onsetDateTime": "2022-02-02"}}
                        """.formatted(p, p));
            }
        }
        bundle.append("]}");
        Files.writeString(dir.resolve("bundle.json"), bundle);
        Files.writeString(dir.resolve("spec.yaml"), """
                name: htn
                index_date: 2020-01-01
                lookback_days: 1095
                prediction_window_days: 1825
                observations:
                  - name: sbp
                    codes: [{system: LOINC, codes: ["8480-6"]}]
                    aggregations: [latest]
                target:
                  name: htn_5y
                  codes: [{system: ICD10, codes: ["I10*"]}]
                """);
        Path out = dir.resolve("cohort.csv");
        Run cohort = run("data", "cohort", "--source", "fhir", dir.resolve("bundle.json").toString(),
                "--spec", dir.resolve("spec.yaml").toString(), "--out", out.toString());
        assertThat(cohort.code()).as(cohort.err()).isZero();
        assertThat(cohort.out()).contains("30 of 30 patients included, 10 positive for htn_5y");
        Run profile = run("data", "profile", out.toString(), "--target", "htn_5y");
        assertThat(profile.code()).as(profile.err()).isZero();
        assertThat(profile.out()).contains("sbp_latest").contains("Target 'htn_5y'");
        Run badSpec = run("data", "cohort", "--source", "fhir", dir.resolve("bundle.json").toString(),
                "--spec", dir.resolve("nope.yaml").toString(), "--out", out.toString());
        assertThat(badSpec.code()).isEqualTo(3);
        assertThat(badSpec.err()).contains("nope.yaml does not exist");
    }

    @Test
    void quickstartRunsEndToEndAndReusesItsCohort(@TempDir Path dir) {
        Path lib = Path.of("..", "medmaas-synthea-runtime", "target", "lib");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(lib),
                "Synthea runtime not built at " + lib + " (run the whole reactor: ./mvnw verify)");
        System.setProperty(SyntheaCommand.LIB_PROPERTY, lib.toString());
        try {
            Run first = run("quickstart", "--patients", "12", "--seed", "5", "--dir", dir.toString(), "--registry",
                    dir.resolve("registry").toString(), "--no-serve");
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("== 1. Synthetic patients").contains("Simulated")
                    .contains("== 2. Feature table").contains("patients included").contains("== 3. Profile")
                    .contains("Target 'hypertension'").contains("== 4. Diagnosis model").contains("Try next:");
            Run second = run("quickstart", "--patients", "12", "--seed", "5", "--dir", dir.toString(), "--registry",
                    dir.resolve("registry").toString(), "--no-serve");
            assertThat(second.out()).contains("Reusing the cohort generated earlier");
        } finally {
            System.clearProperty(SyntheaCommand.LIB_PROPERTY);
        }
    }

    @Test
    void trainPredictEvaluateAndRefuseBadInput(@TempDir Path dir) throws Exception {
        java.util.Random random = new java.util.Random(11);
        StringBuilder csv = new StringBuilder("patient_id,glucose,bmi,smoker,outcome\n");
        for (int i = 0; i < 300; i++) {
            double glucose = 105 + 25 * random.nextGaussian();
            double bmi = 28 + 5 * random.nextGaussian();
            boolean smoker = random.nextDouble() < 0.3;
            double logit = (glucose - 110) / 15 + (bmi - 28) / 6 + (smoker ? 0.8 : 0) - 0.7;
            boolean sick = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            csv.append("P").append(i).append(',').append(String.format(java.util.Locale.ROOT, "%.1f", glucose)).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.1f", bmi)).append(',').append(smoker ? "yes" : "no")
                    .append(',').append(sick ? "pos" : "neg").append('\n');
        }
        Path data = dir.resolve("train.csv");
        Files.writeString(data, csv);
        Path model = dir.resolve("model");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "mlp: {hidden: [16], epochs: 30}\ngbt: {rounds: 20}\n");
        Run train = run("train", "diagnosis", "--data", data.toString(), "--target", "outcome", "--folds", "5",
                "--model", "lr,gbt,rf", "--search", "trials=2", "--config", config.toString(), "--subgroup", "smoker",
                "--out", model.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("← kept").contains("Decision threshold").contains("Left out").contains("patient_id")
                .contains("  auto ").contains("Search on all rows").contains("  lr ").contains("  rf ").contains("  gbt ")
                .contains("nested cross-validation").containsPattern("best of 2 trials").contains("(reference)").contains("Choice: ").contains("By smoker (out-of-fold")
                .containsPattern("  yes +rows \\d+, roc_auc 0\\.\\d{3}");
        String registry = dir.resolve("registry").toString();
        assertThat(run("models", "register", "risk", model.toString(), "--registry", registry).code()).isZero();
        assertThat(run("models", "card", "risk", "--registry", registry).out()).contains("by smoker (out-of-fold):")
                .containsPattern("    no +rows \\d+, roc_auc");
        Files.writeString(config, "mlp: {hiden: [16]}\n");
        Run badConfig = run("train", "diagnosis", "--data", data.toString(), "--target", "outcome", "--config",
                config.toString(), "--out", dir.resolve("m3").toString());
        assertThat(badConfig.code()).isEqualTo(2);
        assertThat(badConfig.err()).contains("Unknown setting 'hiden' for mlp");

        Run predict = run("predict", model.toString(), "--data", data.toString(), "--top", "2");
        assertThat(predict.code()).as(predict.err()).isZero();
        assertThat(predict.out().lines().count()).isEqualTo(300);
        assertThat(predict.out().lines().findFirst().orElseThrow()).startsWith("{\"row\":1,\"probabilities\":")
                .contains("\"label\"").contains("topFeatures").doesNotContain("P0");

        Run evaluate = run("evaluate", model.toString(), "--data", data.toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("roc_auc").contains("Shift from the training data")
                .containsPattern("glucose +0\\.000 +stable +ks").doesNotContain("Warning");

        // Another site: bmi mostly unrecorded, more patients sick at the same values.
        StringBuilder site = new StringBuilder("patient_id,glucose,bmi,smoker,outcome\n");
        for (int i = 0; i < 200; i++) {
            double glucose = 125 + 25 * random.nextGaussian();
            double bmi = 28 + 5 * random.nextGaussian();
            boolean smoker = random.nextDouble() < 0.3;
            double logit = (glucose - 110) / 15 + (bmi - 28) / 6 + (smoker ? 0.8 : 0) + 0.8;
            boolean sick = random.nextDouble() < 1 / (1 + Math.exp(-logit));
            site.append("S").append(i).append(',').append(String.format(java.util.Locale.ROOT, "%.1f", glucose)).append(',')
                    .append(i % 5 == 0 ? String.format(java.util.Locale.ROOT, "%.1f", bmi) : "").append(',')
                    .append(smoker ? "yes" : "no").append(',').append(sick ? "pos" : "neg").append('\n');
        }
        Path siteData = dir.resolve("site.csv");
        Files.writeString(siteData, site);
        Run shifted = run("evaluate", model.toString(), "--data", siteData.toString());
        assertThat(shifted.code()).as(shifted.err()).isZero();
        assertThat(shifted.out()).contains("Warning: 'bmi' is missing in 80% of rows").containsPattern("glucose +0\\.\\d{3} +(moderate|major)");
        Run recalibrate = run("recalibrate", "risk", "--data", siteData.toString(), "--registry", registry);
        assertThat(recalibrate.code()).as(recalibrate.err()).isZero();
        assertThat(recalibrate.out()).contains("Recalibration of risk@1 on 200 rows (platt").contains("ECE (10 bins)")
                .contains("Registered risk v2 (recalibrated from v1)").contains("Shift from the training data");
        assertThat(run("models", "show", "risk", "--registry", registry).out()).contains("v2");
        Run noLabels = run("recalibrate", "risk", "--data", data.toString().replace("train.csv", "missing.csv"), "--registry",
                registry);
        assertThat(noLabels.code()).isNotZero();
        assertThat(run("recalibrate", model.toString(), "--data", siteData.toString()).err()).contains("--out DIR");
        // The tails of glucose hold a handful of patients each: too few to report, and said so.
        Run byBand = run("evaluate", model.toString(), "--data", data.toString(), "--by", "glucose", "--bands", "55,160");
        assertThat(byBand.code()).as(byBand.err()).isZero();
        assertThat(byBand.out()).contains("By glucose:").containsPattern("  55–160 +2\\d\\d +0\\.\\d{3}")
                .containsPattern("  <55 +fewer than 11 rows: not reported").doesNotContain("n/a");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "glucose,bmi\n120,abc\n");
        Run refused = run("predict", model.toString(), "--data", bad.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: ").contains("'bmi'").doesNotContain("abc").doesNotContain("\tat ");

        Run unknown = run("train", "diagnosis", "--data", data.toString(), "--target", "smoker", "--model", "svm",
                "--out", dir.resolve("m2").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown model 'svm'").contains("lr, mlp, gbt");
    }

    @Test
    void trainsASequenceModelOnAVisitTable(@TempDir Path dir) throws Exception {
        java.util.Random random = new java.util.Random(3);
        StringBuilder csv = new StringBuilder("patient_id,visit,days_before_index,lab,outcome\n");
        for (int p = 0; p < 120; p++) {
            boolean positive = random.nextBoolean();
            int n = 2 + random.nextInt(6);
            for (int t = 0; t < n; t++) {
                double lab = (positive ? 0.5 : -0.5) * (t - n + 1) + random.nextGaussian() * 0.2;
                csv.append("Q").append(p).append(',').append(t + 1).append(',').append(30 * (n - t)).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.3f", lab)).append(',')
                        .append(positive ? "yes" : "no").append('\n');
            }
        }
        Path data = dir.resolve("visits.csv");
        Files.writeString(data, csv);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "lstm: {hidden: 8, epochs: 15, learning_rate: 0.01}\n");
        Run train = run("train", "diagnosis", "--data", data.toString(), "--target", "outcome", "--model", "lstm",
                "--folds", "3", "--config", config.toString(), "--out", dir.resolve("model").toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("120 patients' visit sequences").contains("  lstm ");
        Run predict = run("predict", dir.resolve("model").toString(), "--data", data.toString());
        assertThat(predict.code()).as(predict.err()).isZero();
        assertThat(predict.out().lines().count()).isEqualTo(120);
        assertThat(predict.out()).doesNotContain("Q1");
        Run evaluate = run("evaluate", dir.resolve("model").toString(), "--data", data.toString());
        assertThat(evaluate.out()).contains("120 patients");
    }

    @Test
    void registersABundleMovesAliasesAndStagesAndChecksTheStore(@TempDir Path dir) throws Exception {
        Path onnx = Path.of("..", "medmaas-ml", "src", "test", "resources", "onnx", "lr-3-features.onnx");
        Files.writeString(dir.resolve("schema.yaml"), "columns: [{name: a, type: numeric}, {name: b, type: numeric},"
                + " {name: c, type: numeric}]\n");
        assertThat(run("import", "onnx", onnx.toString(), "--schema", dir.resolve("schema.yaml").toString(),
                "--classes", "no,yes", "--out", dir.resolve("bundle").toString()).code()).isZero();
        String registry = dir.resolve("registry").toString();
        Run empty = run("models", "list", "--registry", registry);
        assertThat(empty.out()).contains("No models registered");
        Run first = run("models", "register", "risk", dir.resolve("bundle").toString(), "--registry", registry);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("Registered risk v1");
        assertThat(run("models", "register", "risk", dir.resolve("bundle").toString(), "--registry", registry).out())
                .contains("Registered risk v2");
        assertThat(run("models", "alias", "risk", "champion", "2", "--registry", registry).out()).contains("risk@champion → v2");
        assertThat(run("models", "stage", "risk", "2", "staged", "--registry", registry).out()).contains("now staged");
        Run bad = run("models", "stage", "risk", "1", "production", "--registry", registry);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("cannot move to production");
        Run show = run("models", "show", "risk", "--registry", registry);
        assertThat(show.out()).contains("v2").contains("staged").contains("← champion");
        assertThat(run("models", "list", "--registry", registry).out()).contains("risk").contains("2 version(s)");
        assertThat(run("models", "tag", "risk", "team=cardiology", "--registry", registry).out()).contains("risk tags: {team=cardiology}");
        assertThat(run("models", "tag", "risk", "--version", "2", "validated=yes", "--registry", registry).out())
                .contains("risk v2 tags: {validated=yes}");
        assertThat(run("models", "show", "risk", "--registry", registry).out()).contains("tags: {validated=yes}")
                .contains("tags: {team=cardiology}");
        Run check = run("registry", "check", "--registry", registry);
        assertThat(check.code()).isZero();
        assertThat(check.out()).contains("Registry consistent.");
        assertThat(run("models", "show", "nope", "--registry", registry).err()).contains("No model 'nope'");
        Run card = run("models", "card", "risk", "--version", "champion", "--set", "owner=Clinical AI team",
                "--registry", registry);
        assertThat(card.code()).as(card.err()).isZero();
        assertThat(card.out()).contains("Model card: risk v2").contains("owner         Clinical AI team")
                .contains("intended_use  (not written yet)").contains("onnx");
        assertThat(run("models", "card", "risk", "--json", "--registry", registry).out()).contains("\"owner\" : \"Clinical AI team\"");
        Path backup = dir.resolve("registry-backup.zip");
        Run backedUp = run("backup", backup.toString(), "--registry", registry);
        assertThat(backedUp.code()).as(backedUp.err()).isZero();
        assertThat(backedUp.out()).contains("Backed up 1 models, 2 versions and 1 bundles");
        String copy = dir.resolve("restored").toString();
        assertThat(run("restore", backup.toString(), "--registry", dir.resolve("keyless").toString()).err())
                .contains("original audit.key");
        Run restored = run("restore", backup.toString(), "--registry", copy, "--audit-key",
                Path.of(registry).resolve("audit.key").toString());
        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(run("models", "show", "risk", "--registry", copy).out()).contains("← champion").contains("staged");
        assertThat(run("restore", backup.toString(), "--registry", copy).err()).contains("already holds models");
        assertThat(run("audit", "verify", "--registry", copy).out()).contains("Audit log intact: 7 entries");

        // Keys: shown once, listed without secrets, revoked; all of it audited.
        Run created = run("keys", "create", "--owner", "ward-7 monitor", "--role", "predictor", "--models", "risk",
                "--expires-in", "90d", "--registry", registry);
        assertThat(created.code()).as(created.err()).isZero();
        String token = created.out().lines().findFirst().orElseThrow();
        assertThat(token).matches("mm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
        String id = token.substring(3, 11);
        assertThat(run("keys", "list", "--registry", registry).out()).contains(id).contains("predictor").contains("active")
                .doesNotContain(token.substring(12));
        assertThat(run("keys", "create", "--owner", "x", "--role", "root", "--registry", registry).err())
                .contains("Unknown role 'root'");
        assertThat(run("keys", "revoke", id, "--registry", registry).out()).contains("revoked");
        assertThat(run("keys", "list", "--registry", registry).out()).contains("revoked");
        Run verified = run("audit", "verify", "--registry", registry);
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("Audit log intact: 10 entries"); // with the first key's key.seal marker
        Path export = dir.resolve("audit.jsonl");
        assertThat(run("audit", "export", "--out", export.toString(), "--registry", registry).out()).contains("Exported 10 entries");
        assertThat(Files.readAllLines(export)).hasSize(10).last().asString().contains("\"action\":\"key.revoke\"")
                .doesNotContain(token.substring(12));

        // The same commands against a database given by URL (H2 here; PostgreSQL in the registry's own tests).
        String url = "jdbc:h2:file:" + dir.resolve("by-url").toAbsolutePath() + "/meta";
        Run byUrl = run("models", "register", "risk", dir.resolve("bundle").toString(), "--registry",
                dir.resolve("by-url").toString(), "--registry-url", url);
        assertThat(byUrl.code()).as(byUrl.err()).isZero();
        assertThat(run("models", "list", "--registry", dir.resolve("by-url").toString(), "--registry-url", url).out())
                .contains("risk");
        assertThat(run("models", "list", "--registry", dir.resolve("by-url").toString(), "--registry-url", "jdbc:mysql://x")
                .err()).contains("must start with jdbc:postgresql: or jdbc:h2:");
    }

    @Test
    void servesTheRegistryOverHttpUntilStopped(@TempDir Path dir) throws Exception {
        Path onnx = Path.of("..", "medmaas-ml", "src", "test", "resources", "onnx", "lr-3-features.onnx");
        Files.writeString(dir.resolve("schema.yaml"), "columns: [{name: a, type: numeric}, {name: b, type: numeric},"
                + " {name: c, type: numeric}]\n");
        assertThat(run("import", "onnx", onnx.toString(), "--schema", dir.resolve("schema.yaml").toString(),
                "--classes", "no,yes", "--out", dir.resolve("bundle").toString()).code()).isZero();
        String registry = dir.resolve("registry").toString();
        assertThat(run("models", "register", "risk", dir.resolve("bundle").toString(), "--registry", registry).code()).isZero();
        String token = run("keys", "create", "--owner", "test", "--role", "predictor", "--registry", registry).out()
                .lines().findFirst().orElseThrow();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(run("serve", "--host", "0.0.0.0", "--registry", registry).err()).contains("Plain HTTP is served on loopback only");
        java.util.concurrent.CompletableFuture<Run> serving = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run("serve", "--port", Integer.toString(port), "--stop-after", "10", "--registry", registry));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        java.net.http.HttpResponse<String> ready = null;
        for (int i = 0; i < 100 && ready == null; i++) {
            try {
                ready = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v2/health/ready")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        assertThat(ready).isNotNull();
        assertThat(ready.statusCode()).isEqualTo(200);
        var predicted = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/diagnosis/risk/predict"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"record\": {\"a\": 1, \"b\": 2, \"c\": 3}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        // The CLI reaches the registry the server holds open: a consistent backup while serving.
        Run backup = run("backup", dir.resolve("while-serving.zip").toString(), "--registry", registry);
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("Backed up 1 models, 1 versions");
        Run done = serving.get();
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out()).contains("serving 1 model(s)").contains(base);
        // The prediction was audited, and the log still verifies after the server stopped.
        Run verified = run("audit", "verify", "--registry", registry);
        assertThat(verified.out()).contains("Audit log intact: 4 entries"); // with the first key's key.seal marker
    }

    @Test
    void importOnnxThenPredict(@TempDir Path dir) throws Exception {
        Path onnx = Path.of("..", "medmaas-ml", "src", "test", "resources", "onnx", "lr-3-features.onnx");
        Files.writeString(dir.resolve("schema.yaml"), "columns: [{name: a, type: numeric}, {name: b, type: numeric},"
                + " {name: c, type: numeric}]\n");
        Run imported = run("import", "onnx", onnx.toString(), "--schema", dir.resolve("schema.yaml").toString(),
                "--classes", "no,yes", "--out", dir.resolve("bundle").toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        Files.writeString(dir.resolve("rows.csv"), "a,b,c\n1,2,3\n");
        Run predicted = run("predict", dir.resolve("bundle").toString(), "--data", dir.resolve("rows.csv").toString());
        assertThat(predicted.code()).as(predicted.err()).isZero();
        assertThat(predicted.out()).contains("\"yes\":0.61063").contains("\"label\":\"yes\"");

        StringBuilder background = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 15; i++) {
            background.append(i).append(',').append(i % 4).append(',').append(-i).append('\n');
        }
        Files.writeString(dir.resolve("background.csv"), background);
        Run explained = run("import", "onnx", onnx.toString(), "--schema", dir.resolve("schema.yaml").toString(),
                "--classes", "no,yes", "--background", dir.resolve("background.csv").toString(),
                "--out", dir.resolve("bundle2").toString());
        assertThat(explained.code()).as(explained.err()).isZero();
        assertThat(explained.out()).contains("Kernel SHAP");
        Run withReasons = run("predict", dir.resolve("bundle2").toString(), "--data", dir.resolve("rows.csv").toString());
        assertThat(withReasons.out()).contains("topFeatures");
    }
}
