package org.medmaas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.bundle.Provenance;

/**
 * The registry's behaviour, run against each database it supports: {@link H2RegistryTest} always,
 * {@link PostgresRegistryTest} when a server is given (.ci/run starts one).
 */
abstract class ModelRegistryContract {

    /** A registry whose artifacts live under {@code home}; the same home gives the same registry. */
    abstract ModelRegistry create(Path home);

    private final List<ModelRegistry> opened = new java.util.ArrayList<>();

    /** {@link #create}, closed after the test: a registry left open kept writing into its home while JUnit deleted it. */
    ModelRegistry open(Path home) {
        ModelRegistry registry = create(home);
        opened.add(registry);
        return registry;
    }

    @AfterEach
    void closeRegistries() {
        opened.forEach(ModelRegistry::close);
    }

    /** A small valid bundle: the manifest and one native file whose content varies with {@code seed}. */
    static Path bundle(Path dir, String name, int seed) throws Exception {
        // The registry reads no task's types: the section is any JSON the task writes.
        BundleManifest manifest = BundleManifest.of("diagnosis", "2026-11-28T00:00:00Z",
                new Provenance("lr", Map.of("C", 1.0), seed, Map.of("rows", 500, "folds", 5), Map.of("liblinear", "2.44"), "test"),
                Map.of("roc_auc", Map.of("mean", 0.8, "sd", 0.05)),
                Map.of("target", "outcome", "classes", List.of("no", "yes"), "threshold", 0.5, "thresholdRule", "fixed:0.5"));
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

        registry.setAlias("htn-risk", "champion", 1, "x");
        assertThat(registry.resolve("htn-risk", "champion").version()).isEqualTo(1);
        registry.setAlias("htn-risk", "champion", 2, "x");
        assertThat(registry.resolve("htn-risk", "champion").version()).isEqualTo(2);
        assertThat(registry.aliases("htn-risk")).containsExactly(Map.entry("champion", 2));
        registry.register("asthma", bundle(dir, "c", 3), "bob");
        registry.setAlias("htn-risk", "challenger", 1, "x");
        assertThat(registry.summaries()).satisfiesExactly(
                asthma -> {
                    assertThat(asthma.name()).isEqualTo("asthma");
                    assertThat(asthma.versions()).isEqualTo(1);
                    assertThat(asthma.latest().registeredBy()).isEqualTo("bob");
                    assertThat(asthma.aliases()).isEmpty();
                },
                htn -> {
                    assertThat(htn.versions()).isEqualTo(2);
                    assertThat(htn.latest()).isEqualTo(registry.resolve("htn-risk", "latest"));
                    assertThat(htn.aliases()).containsOnly(Map.entry("champion", 2), Map.entry("challenger", 1));
                });

        // The stored archive is a verified bundle that loads again.
        assertThat(ModelBundle.read(registry.bundle(v2)).manifest().provenance().seed()).isEqualTo(2);

        // A second registry on the same home sees the same state (the database is a file).
        ModelRegistry reopened = open(dir.resolve("home"));
        assertThat(reopened.versions("htn-risk")).extracting(ModelVersion::version).containsExactly(1, 2);
    }

    @Test
    void stagesFollowTheLifecycleAndArchivingDropsAliases(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        registry.register("m", bundle(dir, "a", 1), "bob");
        registry.setAlias("m", "champion", 1, "x");
        assertThatThrownBy(() -> registry.setStage("m", 1, Stage.PRODUCTION, "x"))
                .isInstanceOf(MedmaasException.class).hasMessageContaining("registered; it cannot move to production");
        registry.setStage("m", 1, Stage.STAGED, "x");
        assertThat(registry.setStage("m", 1, Stage.PRODUCTION, "x").stage()).isEqualTo(Stage.PRODUCTION);
        registry.setStage("m", 1, Stage.ARCHIVED, "x");
        assertThat(registry.aliases("m")).isEmpty();
        assertThatThrownBy(() -> registry.resolve("m", "latest")).hasMessageContaining("no version that is not archived");
        assertThatThrownBy(() -> registry.setAlias("m", "champion", 1, "x")).hasMessageContaining("archived");
        assertThatThrownBy(() -> registry.setStage("m", 1, Stage.STAGED, "x")).hasMessageContaining("archived");
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
        assertThatThrownBy(() -> registry.setAlias("m", "latest", 1, "x")).hasMessageContaining("reserved");
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
        registry.setAlias("m", "champion", 2, "x");
        registry.setStage("m", 1, Stage.STAGED, "x");
        registry.setCardField("m", "owner", "Clinical AI team", "carol");
        Path backup = dir.resolve("backups").resolve("registry.zip");
        RegistryBackup.Summary written = registry.backup(backup);
        assertThat(written).isEqualTo(new RegistryBackup.Summary(2, 3, 2));
        assertThatThrownBy(() -> registry.backup(backup)).hasMessageContaining("already exists");

        // Without the original audit key the restored log would not verify: refused, nothing written.
        ModelRegistry keyless = open(dir.resolve("keyless"));
        assertThatThrownBy(() -> keyless.restore(backup)).hasMessageContaining("original audit.key");
        assertThat(keyless.models()).isEmpty();

        Files.createDirectories(dir.resolve("restored"));
        Files.copy(dir.resolve("home").resolve("audit.key"), dir.resolve("restored").resolve("audit.key"));
        ModelRegistry restored = open(dir.resolve("restored"));
        assertThat(restored.restore(backup)).isEqualTo(new RegistryBackup.Summary(2, 3, 2));
        assertThat(restored.versions("m")).isEqualTo(registry.versions("m"));
        assertThat(restored.aliases("m")).isEqualTo(registry.aliases("m"));
        assertThat(restored.card("m", "champion")).isEqualTo(registry.card("m", "champion"));
        assertThat(Files.readAllBytes(restored.bundle(v1))).isEqualTo(Files.readAllBytes(registry.bundle(v1)));
        assertThat(restored.check().consistent()).isTrue();
        AuditVerification restoredAudit = restored.auditLog().verify();
        assertThat(restoredAudit.intact()).isTrue();
        assertThat(restoredAudit.headHash()).isEqualTo(registry.auditLog().verify().headHash());
        restored.apiKeys().list(); // the keys table came back too
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

    @Test
    void everyManagementActionIsAuditedInItsOwnTransactionAndTheChainVerifies(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        registry.register("m", bundle(dir, "a", 1), "alice");
        registry.setAlias("m", "champion", 1, "alice");
        registry.setStage("m", 1, Stage.STAGED, "bob");
        registry.setCardField("m", "owner", "Clinical AI team", "carol");
        // A refused action leaves no entry (nothing happened).
        assertThatThrownBy(() -> registry.setAlias("m", "latest", 1, "bob")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> registry.setStage("m", 9, Stage.STAGED, "bob")).hasMessageContaining("no version 9");

        List<AuditEntry> entries = registry.auditLog().entries(AuditQuery.first(100));
        assertThat(entries).extracting(e -> e.event().action())
                .containsExactly("model.register", "model.alias", "model.stage", "model.card");
        assertThat(entries).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(entries.get(2).event().details()).isEqualTo("registered->staged");
        assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).entryHash());

        long seq = registry.auditLog().record(new AuditEvent(java.time.Instant.now(), "key:0a1b2c3d (ward-7)", "predict",
                "m@1", "ok", "req-1", "ab".repeat(32), 812, "rows=1"));
        assertThat(seq).isEqualTo(5);
        AuditVerification ok = registry.auditLog().verify();
        assertThat(ok.intact()).isTrue();
        assertThat(ok.entries()).isEqualTo(5);
        assertThat(ok.headSeq()).isEqualTo(5);
    }

    @Test
    void concurrentRegistrationsOfANewNameAllSucceedWithConsecutiveVersions(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        Path b = bundle(dir, "a", 1);
        List<java.util.concurrent.Future<ModelVersion>> done = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                done.add(pool.submit(() -> registry.register("race", b, "x")));
            }
            for (var f : done) {
                f.get();
            }
        }
        assertThat(registry.versions("race")).extracting(ModelVersion::version).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(registry.auditLog().verify().entries()).isEqualTo(6);
    }

    @Test
    void tagsLabelModelsAndVersionsAndTravelWithBackups(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        registry.register("m", bundle(dir, "a", 1), "x");
        registry.setTag("m", Optional.empty(), "team", "cardiology", "carol");
        registry.setTag("m", Optional.of(1), "validated_by", "external-2026-11", "carol");
        registry.setTag("m", Optional.of(1), "validated_by", "external-2026-12", "dave");
        assertThat(registry.tags("m", Optional.empty())).containsExactly(Map.entry("team", "cardiology"));
        assertThat(registry.tags("m", Optional.of(1))).containsExactly(Map.entry("validated_by", "external-2026-12"));
        registry.removeTag("m", Optional.empty(), "team", "carol");
        assertThat(registry.tags("m", Optional.empty())).isEmpty();
        assertThatThrownBy(() -> registry.removeTag("m", Optional.empty(), "team", "carol")).hasMessageContaining("no tag 'team'");
        assertThatThrownBy(() -> registry.setTag("m", Optional.of(7), "k", "v", "x")).hasMessageContaining("version 7");
        assertThatThrownBy(() -> registry.setTag("m", Optional.empty(), "bad key", "v", "x")).hasMessageContaining("tag key");
        assertThat(registry.auditLog().entries(AuditQuery.first(100))).filteredOn(e -> e.event().action().equals("model.tag"))
                .hasSize(4);
        Path backup = dir.resolve("b.zip");
        registry.backup(backup);
        Files.createDirectories(dir.resolve("restored"));
        Files.copy(dir.resolve("home").resolve("audit.key"), dir.resolve("restored").resolve("audit.key"));
        ModelRegistry restored = open(dir.resolve("restored"));
        restored.restore(backup);
        assertThat(restored.tags("m", Optional.of(1))).isEqualTo(registry.tags("m", Optional.of(1)));
    }

    @Test
    void concurrentRecordsAreAllCommittedInOneGaplessChain(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        int threads = 16;
        int each = 50;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        registry.auditLog().record(AuditEvent.of("t" + thread, "predict", "m@1", "ok", "i=" + i));
                    }
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
        AuditVerification v = registry.auditLog().verify();
        assertThat(v.problems()).isEmpty();
        assertThat(v.entries()).isEqualTo(threads * each);
    }

    @Test
    void apiKeysAreShownOnceStoredAsHashesAndStopWorkingWhenRevokedOrExpired(@TempDir Path dir) throws Exception {
        ModelRegistry registry = open(dir.resolve("home"));
        ApiKeys keys = registry.apiKeys();
        ApiKeys.Created created = keys.create("ward-7 monitor", Role.PREDICTOR, "sepsis-*", Optional.empty(), "admin");
        assertThat(created.token()).matches("mm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
        assertThat(created.toString()).doesNotContain(created.token());
        ApiKey key = keys.authenticate(created.token()).orElseThrow();
        assertThat(key.role()).isEqualTo(Role.PREDICTOR);
        assertThat(key.reaches("sepsis-adult")).isTrue();
        assertThat(key.reaches("htn-risk")).isFalse();

        // A wrong secret with the right id, a malformed token, an unknown id: all refused alike.
        String wrong = created.token().substring(0, created.token().length() - 1)
                + (created.token().endsWith("A") ? "B" : "A");
        assertThat(keys.authenticate(wrong)).isEmpty();
        assertThat(keys.authenticate("Bearer nonsense")).isEmpty();
        assertThat(keys.authenticate("mm_00000000_" + "A".repeat(43))).isEmpty();

        keys.revoke(key.id(), "admin");
        assertThat(keys.authenticate(created.token())).isEmpty();
        assertThatThrownBy(() -> keys.revoke(key.id(), "admin")).hasMessageContaining("already revoked");
        assertThatThrownBy(() -> keys.revoke("ffffffff", "admin")).hasMessageContaining("no key ffffffff");
        assertThatThrownBy(() -> keys.create("x", Role.ADMIN, "*", Optional.of(java.time.Instant.now().minusSeconds(1)), "admin"))
                .hasMessageContaining("'expires' must be in the future");
        assertThat(keys.list()).singleElement().satisfies(k -> assertThat(k.revokedAt()).isPresent());
        assertThat(registry.auditLog().entries(AuditQuery.first(10))).extracting(e -> e.event().action())
                .containsExactly("key.seal", "key.create", "key.revoke"); // the first key marks the registry's records sealed
    }
}
