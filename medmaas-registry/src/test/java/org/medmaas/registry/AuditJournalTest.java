package org.medmaas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal puts back what a crash took from the H2 file: entries acknowledged after the last
 * checkpoint. A crash is staged here by writing the journal a dead process would have left.
 */
class AuditJournalTest {

    @TempDir
    Path home;

    private List<AuditEntry> chainAfter(AuditVerification v, int count, String details) throws Exception {
        byte[] key = HexFormat.of().parseHex(Files.readString(home.resolve("audit.key")).strip());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        List<AuditEntry> out = new ArrayList<>();
        String prev = v.headHash();
        for (long seq = v.headSeq() + 1; seq <= v.headSeq() + count; seq++) {
            AuditEvent e = AuditEvent.of("key:0a1b2c3d (ward-7)", "predict", "m@1", "ok", details);
            String hash = AuditLog.entryHash(mac, seq, e, prev);
            out.add(new AuditEntry(seq, e, prev, hash));
            prev = hash;
        }
        return out;
    }

    private List<Path> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(home.resolve("audit-journal"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    /** Writes a journal as the process that owned it would have, while no registry holds it. */
    private void leaveJournal(List<AuditEntry> entries) throws Exception {
        AuditJournal journal = AuditJournal.claim(home.resolve("audit-journal")).orElseThrow();
        journal.append(entries);
        journal.close();
    }

    @Test
    void entriesTheFileLostAreReplayedInOrderAndTheChainVerifies() throws Exception {
        AuditVerification before;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            for (int i = 0; i < 5; i++) {
                registry.auditLog().record(AuditEvent.of("key:0a1b2c3d (ward-7)", "predict", "m@1", "ok", "rows=1"));
            }
            before = registry.auditLog().verify();
        }
        assertThat(files(".journal")).as("a clean close leaves no journal").isEmpty();
        List<AuditEntry> lost = chainAfter(before, 3, "acknowledged, then lost");
        leaveJournal(lost);
        // A record cut short by the crash follows them: it was never acknowledged and is ignored.
        Files.write(files(".journal").get(0), new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND);
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            AuditVerification after = registry.auditLog().verify();
            assertThat(after.intact()).as(after.problems().toString()).isTrue();
            assertThat(after.entries()).isEqualTo(8);
            assertThat(after.headHash()).isEqualTo(lost.get(2).entryHash());
            assertThat(files(".journal")).isEmpty();
            registry.auditLog().record(AuditEvent.of("key:0a1b2c3d (ward-7)", "predict", "m@1", "ok", "after the replay"));
            assertThat(registry.auditLog().verify().entries()).isEqualTo(9);
        }
    }

    @Test
    void entriesWrittenIntoAPreparedSegmentReadBackUpToItsZerosAndACrashMidRecordEndsItThere() throws Exception {
        AuditVerification empty;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            empty = registry.auditLog().verify();
        }
        List<AuditEntry> entries = chainAfter(empty, 6, "rows=1");
        AuditJournal journal = AuditJournal.claim(home.resolve("audit-journal")).orElseThrow();
        try {
            journal.append(entries.subList(0, 2)); // a plain segment; the next one is prepared meanwhile
            for (int i = 0; i < 500 && files(".journal").stream().noneMatch(p -> p.toFile().length() >= 1 << 20); i++) {
                Thread.sleep(10);
            }
            Thread.sleep(1_100); // a segment lasts a second
            journal.append(entries.subList(2, 4));
            journal.append(entries.subList(4, 5));
            Path prepared = files(".journal").stream().filter(p -> p.toFile().length() >= 1 << 20).findFirst().orElseThrow();
            assertThat(journal.entries()).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
            // A crash while the sixth record was written: its first bytes, then the prepared zeros.
            byte[] bytes = Files.readAllBytes(prepared);
            int end = 0;
            while (end + 8 <= bytes.length) {
                int length = java.nio.ByteBuffer.wrap(bytes, end, 4).getInt();
                if (length == 0) {
                    break;
                }
                end += 8 + length;
            }
            assertThat(end).as("the records sit at the start of the prepared segment").isGreaterThan(0);
            try (var c = java.nio.channels.FileChannel.open(prepared, StandardOpenOption.WRITE)) {
                c.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 7, 7, 7, 7, 1, 2}), end);
            }
            assertThat(journal.entries()).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        } finally {
            journal.close();
        }
        assertThat(files(".journal")).allSatisfy(p -> assertThat(p.toFile().length()).isLessThan(1 << 20));
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            AuditVerification after = registry.auditLog().verify();
            assertThat(after.intact()).as(after.problems().toString()).isTrue();
            assertThat(after.entries()).isEqualTo(5);
            assertThat(files(".journal")).isEmpty();
        }
    }

    @Test
    void aJournalThatDoesNotFollowTheLogIsSetAsideNotApplied() throws Exception {
        AuditVerification before;
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            registry.auditLog().record(AuditEvent.of("key:0a1b2c3d (ward-7)", "predict", "m@1", "ok", "rows=1"));
            before = registry.auditLog().verify();
        }
        List<AuditEntry> forged = new ArrayList<>(chainAfter(before, 2, "rows=1"));
        // Entry 3 claims to follow entry 2 but was hashed with another predecessor.
        AuditEntry second = forged.get(1);
        forged.set(1, new AuditEntry(second.seq(), second.event(), "f".repeat(64), second.entryHash()));
        leaveJournal(forged);
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            AuditVerification after = registry.auditLog().verify();
            assertThat(after.intact()).isTrue();
            assertThat(after.entries()).isEqualTo(1);
            assertThat(files(".journal")).isEmpty();
            assertThat(files(".unapplied")).hasSize(1);
        }
    }

    @Test
    void aSecondRegistryOnTheSameHomeCommitsWithACheckpointInstead() throws Exception {
        try (ModelRegistry first = ModelRegistry.embedded(home); ModelRegistry second = ModelRegistry.embedded(home)) {
            first.auditLog().record(AuditEvent.of("a", "predict", "m@1", "ok", "through the journal"));
            second.auditLog().record(AuditEvent.of("b", "predict", "m@1", "ok", "with a checkpoint"));
            assertThat(second.auditLog().verify().entries()).isEqualTo(2);
            StringBuilder journal = new StringBuilder(); // the segment written, and the next one prepared (zeros)
            for (Path segment : files(".journal")) {
                journal.append(new String(Files.readAllBytes(segment), StandardCharsets.UTF_8));
            }
            assertThat(journal.toString()).contains("through the journal").doesNotContain("with a checkpoint");
        }
    }

    @Test
    void writersOfTwoRegistriesInterleaveIntoOneChain() throws Exception {
        // The first numbers entries under a lease on the head row and inserts them behind its
        // answers; the second commits each of its own. Neither may fork the chain.
        try (ModelRegistry first = ModelRegistry.embedded(home); ModelRegistry second = ModelRegistry.embedded(home)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                ModelRegistry r = t % 3 == 0 ? second : first;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 300; i++) {
                        r.auditLog().record(AuditEvent.of(r == first ? "a" : "b", "predict", "m@1", "ok", "rows=1"));
                    }
                }));
            }
            for (Thread t : writers) {
                t.join();
            }
            AuditVerification seenBySecond = second.auditLog().verify();
            AuditVerification seenByFirst = first.auditLog().verify();
            assertThat(seenByFirst.intact()).as(seenByFirst.problems().toString()).isTrue();
            assertThat(seenByFirst.entries()).as("every acknowledged entry, at once, in the writing process").isEqualTo(1_800);
            assertThat(seenBySecond.intact()).as(seenBySecond.problems().toString()).isTrue();
            assertThat(seenBySecond.entries()).isBetween(600L, 1_800L);
        }
        try (ModelRegistry reopened = ModelRegistry.embedded(home)) {
            assertThat(reopened.auditLog().verify().entries()).isEqualTo(1_800);
        }
    }

    @Test
    void anEntryTheDatabaseRefusedAfterItsAnswerIsReplayedFromTheJournalOnceItCanBe() throws Exception {
        try (ModelRegistry registry = ModelRegistry.embedded(home)) {
            registry.auditLog().record(AuditEvent.of("a", "predict", "m@1", "ok", "rows=1"));
            try (Connection c = ModelRegistry.embeddedConnection(home); Statement s = c.createStatement()) {
                s.executeUpdate("ALTER TABLE audit_entry ADD CONSTRAINT refuse_poison CHECK (details <> 'poison')");
            }
            // Acknowledged from the journal; the insert behind it fails.
            registry.auditLog().record(AuditEvent.of("a", "predict", "m@1", "ok", "poison"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    registry.auditLog().record(AuditEvent.of("a", "predict", "m@1", "ok", "after"));
                    Thread.sleep(5);
                }
            }).as("nothing is numbered while an acknowledged entry is missing from the database")
                    .isInstanceOf(org.medmaas.core.error.MedmaasException.class);
            try (Connection c = ModelRegistry.embeddedConnection(home); Statement s = c.createStatement()) {
                s.executeUpdate("ALTER TABLE audit_entry DROP CONSTRAINT refuse_poison");
            }
            registry.auditLog().record(AuditEvent.of("a", "predict", "m@1", "ok", "after the fix"));
            AuditVerification v = registry.auditLog().verify();
            assertThat(v.intact()).as(v.problems().toString()).isTrue();
            List<String> details = registry.auditLog().entries(AuditQuery.first(1000)).stream().map(e -> e.event().details()).toList();
            assertThat(details).startsWith("rows=1", "poison").endsWith("after the fix");
        }
    }
}
