package org.medmaas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.ml.bundle.BundleManifest;
import org.medmaas.ml.bundle.ModelBundle;

/**
 * The registry's behaviour, run against each database it supports: {@link H2RegistryTest} always,
 * {@link PostgresRegistryTest} when a server is given (.ci/run starts one).
 */
abstract class ModelRegistryContract {

    /** A registry whose artifacts live under {@code home}; the same home gives the same registry. */
    abstract ModelRegistry open(Path home);

    /** A small valid bundle: the manifest and one native file whose content varies with {@code seed}. */
    static Path bundle(Path dir, String name, int seed) throws Exception {
        BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT, ModelBundle.FORMAT_VERSION, "diagnosis", "lr",
                "outcome", List.of("no", "yes"), 0.5, "fixed:0.5", List.of(), List.of("a"),
                new ObjectMapper().readTree("{\"format\":\"medmaas-pipeline\",\"version\":1,\"steps\":[]}"), Optional.empty(),
                Map.of("C", 1.0), seed, Map.of("rows", 500, "folds", 5), Map.of("liblinear", "2.44"), "test",
                Map.of("roc_auc", Map.of("mean", 0.8, "sd", 0.05)), "2026-11-28T00:00:00Z", Map.of());
        Path out = dir.resolve(name);
        ModelBundle.write(out, manifest, Map.of("model.liblinear", ("weights " + seed).getBytes()));
        return out;
    }

    @Test
    void registersNumberedVersionsResolvesAliasesAndLatest(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        ModelVersion v1 = registry.register("htn-risk", bundle(dir, "a", 1), "alice");
        ModelVersion v2 = registry.register("htn-risk", bundle(dir, "b", 2), "alice");
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.stage()).isEqualTo(Stage.REGISTERED);
        assertThat(registry.models()).containsExactly("htn-risk");
        assertThat(registry.resolve("htn-risk", "latest").version()).isEqualTo(2);
        assertThat(registry.resolve("htn-risk", "1").bundleSha256()).isEqualTo(v1.bundleSha256());

        registry.setAlias("htn-risk", "champion", 1);
        assertThat(registry.resolve("htn-risk", "champion").version()).isEqualTo(1);
        registry.setAlias("htn-risk", "champion", 2);
        assertThat(registry.resolve("htn-risk", "champion").version()).isEqualTo(2);
        assertThat(registry.aliases("htn-risk")).containsExactly(Map.entry("champion", 2));

        // The stored archive is a verified bundle that loads again.
        assertThat(ModelBundle.read(registry.bundle(v2)).manifest().seed()).isEqualTo(2);

        // A second registry on the same home sees the same state (the database is a file).
        ModelRegistry reopened = open(dir.resolve("home"));
        assertThat(reopened.versions("htn-risk")).extracting(ModelVersion::version).containsExactly(1, 2);
    }

    @Test
    void stagesFollowTheLifecycleAndArchivingDropsAliases(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        registry.register("m", bundle(dir, "a", 1), "bob");
        registry.setAlias("m", "champion", 1);
        assertThatThrownBy(() -> registry.setStage("m", 1, Stage.PRODUCTION))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("registered; it cannot move to production");
        registry.setStage("m", 1, Stage.STAGED);
        assertThat(registry.setStage("m", 1, Stage.PRODUCTION).stage()).isEqualTo(Stage.PRODUCTION);
        registry.setStage("m", 1, Stage.ARCHIVED);
        assertThat(registry.aliases("m")).isEmpty();
        assertThatThrownBy(() -> registry.resolve("m", "latest")).hasMessageContaining("no version that is not archived");
        assertThatThrownBy(() -> registry.setAlias("m", "champion", 1)).hasMessageContaining("archived");
        assertThatThrownBy(() -> registry.setStage("m", 1, Stage.STAGED)).hasMessageContaining("archived");
    }

    @Test
    void refusesBadNamesTamperedBundlesAndUnknownReferences(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        assertThatThrownBy(() -> registry.register("Bad Name", bundle(dir, "a", 1), "x")).hasMessageContaining("'Bad Name'");
        Path tampered = bundle(dir, "t", 3);
        Files.writeString(tampered.resolve("model.liblinear"), "changed");
        assertThatThrownBy(() -> registry.register("m", tampered, "x"))
                .isInstanceOfSatisfying(MedmaasException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY));
        assertThat(registry.models()).isEmpty();
        assertThatThrownBy(() -> registry.resolve("m", "7")).hasMessageContaining("no version 7");
        assertThatThrownBy(() -> registry.resolve("m", "champion")).hasMessageContaining("no alias 'champion'");
        registry.register("m", bundle(dir, "b", 1), "x");
        assertThatThrownBy(() -> registry.setAlias("m", "latest", 1)).hasMessageContaining("reserved");
    }

    @Test
    void checkFindsUnreferencedAndAlteredArtifactsAndRepairRemovesLeftovers(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        ModelRegistry registry = open(home);
        ModelVersion v = registry.register("m", bundle(dir, "a", 1), "x");
        assertThat(registry.check().consistent()).isTrue();

        // An interrupted registration: the artifact was stored, the version row never written.
        FileArtifactStore store = new FileArtifactStore(home.resolve("artifacts"));
        Path stray = dir.resolve("stray.zip");
        Files.writeString(stray, "half a registration");
        String orphan = store.put(stray);
        ModelRegistry.CheckReport report = registry.check();
        assertThat(report.unreferenced()).containsExactly(orphan);
        assertThat(registry.repair().consistent()).isTrue();
        assertThat(store.contains(orphan)).isFalse();

        // An altered artifact is reported and left for a restore.
        Path stored = home.resolve("artifacts").resolve(v.bundleSha256().substring(0, 2)).resolve(v.bundleSha256() + ".zip");
        Files.write(stored, new byte[] {1, 2, 3});
        assertThat(registry.check().missingOrAltered()).singleElement().asString().contains("m v1").contains("checksum");
        assertThatThrownBy(() -> registry.bundle(v)).hasMessageContaining("does not match its checksum");
    }

    @Test
    void theSameBundleIsStoredOnce(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        Path b = bundle(dir, "a", 1);
        ModelVersion first = registry.register("m", b, "x");
        ModelVersion second = registry.register("other", b, "x");
        assertThat(second.bundleSha256()).isEqualTo(first.bundleSha256());
        assertThat(new FileArtifactStore(dir.resolve("home").resolve("artifacts")).keys()).hasSize(1);
    }

    @Test
    void modelCardsJoinBundleFactsWithEditableFields(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        registry.register("m", bundle(dir, "a", 1), "x");
        registry.setCardField("m", "intended_use", "Screening adults in primary care; not for diagnosis.", "carol");
        registry.setCardField("m", "owner", "Data team", "carol");
        registry.setCardField("m", "owner", "Clinical AI team", "dave");
        ModelCard card = registry.card("m", "latest");
        assertThat(card.learner()).isEqualTo("lr");
        assertThat(card.trainingData()).containsEntry("rows", 500);
        assertThat(card.editable()).containsEntry("owner", "Clinical AI team")
                .containsEntry("intended_use", "Screening adults in primary care; not for diagnosis.");
        Map<String, Double> auc = card.metrics().get("roc_auc");
        assertThat(auc.get("ci_low")).isCloseTo(0.8 - 1.96 * 0.05 / Math.sqrt(5), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(auc.get("ci_high")).isGreaterThan(0.8);
        assertThatThrownBy(() -> registry.setCardField("m", "metrics", "1.0", "x")).hasMessageContaining("not an editable");
        assertThatThrownBy(() -> registry.setCardField("nope", "owner", "x", "x")).hasMessageContaining("No model 'nope'");
    }

    @Test
    void backupThenRestoreGivesTheSameRegistryAndRefusesATamperedBackup(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        Path a = bundle(dir, "a", 1);
        ModelVersion v1 = registry.register("m", a, "x");
        registry.register("m", bundle(dir, "b", 2), "x");
        registry.register("other", a, "y");
        registry.setAlias("m", "champion", 2);
        registry.setStage("m", 1, Stage.STAGED);
        registry.setCardField("m", "owner", "Clinical AI team", "carol");
        Path backup = dir.resolve("backups").resolve("registry.zip");
        RegistryBackup.Summary written = registry.backup(backup);
        assertThat(written).isEqualTo(new RegistryBackup.Summary(2, 3, 2));
        assertThatThrownBy(() -> registry.backup(backup)).hasMessageContaining("already exists");

        ModelRegistry restored = open(dir.resolve("restored"));
        assertThat(restored.restore(backup)).isEqualTo(new RegistryBackup.Summary(2, 3, 2));
        assertThat(restored.versions("m")).isEqualTo(registry.versions("m"));
        assertThat(restored.aliases("m")).isEqualTo(registry.aliases("m"));
        assertThat(restored.card("m", "champion")).isEqualTo(registry.card("m", "champion"));
        assertThat(Files.readAllBytes(restored.bundle(v1))).isEqualTo(Files.readAllBytes(registry.bundle(v1)));
        assertThat(restored.check().consistent()).isTrue();
        assertThatThrownBy(() -> restored.restore(backup)).hasMessageContaining("already holds models");

        // A backup altered after it was written is refused before anything is written.
        Path tampered = dir.resolve("tampered.zip");
        try (var in = new java.util.zip.ZipFile(backup.toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("registry.json")) {
                    bytes = new String(bytes).replace("Clinical AI team", "Someone else").getBytes();
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        ModelRegistry fresh = open(dir.resolve("fresh"));
        assertThatThrownBy(() -> fresh.restore(tampered)).isInstanceOfSatisfying(MedmaasException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY)).hasMessageContaining("registry.json does not match");
        assertThat(fresh.models()).isEmpty();
        assertThat(new FileArtifactStore(dir.resolve("fresh").resolve("artifacts")).keys()).isEmpty();
    }
}
