package org.medmaas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whoever can write the database but not read the audit key cannot change the log unnoticed. */
class AuditTamperTest {

    @TempDir
    Path home;

    private ModelRegistry registry;

    @BeforeEach
    void tenEntries() {
        registry = ModelRegistry.embedded(home);
        for (int i = 1; i <= 10; i++) {
            registry.auditLog().record(AuditEvent.of("key:0a1b2c3d (ward-7)", "predict", "m@1", "ok", "rows=" + i));
        }
        assertThat(registry.auditLog().verify().intact()).isTrue();
    }

    @AfterEach
    void close() {
        registry.close(); // before JUnit deletes the home it would otherwise go on checkpointing into
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = ModelRegistry.embeddedConnection(home); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.executeUpdate(statement);
            }
        }
    }

    @Test
    void anAlteredFieldIsFound() throws Exception {
        sql("UPDATE audit_entry SET outcome = 'forbidden' WHERE seq = 4");
        assertThat(registry.auditLog().verify().problems()).containsExactly("entry 4 was altered (its hash does not match its fields)");
    }

    @Test
    void aRemovedEntryIsFound() throws Exception {
        sql("DELETE FROM audit_entry WHERE seq = 6");
        assertThat(registry.auditLog().verify().problems()).contains("entry 6 is missing");
    }

    @Test
    void aLogLongerThanOnePageIsReadWholeAndARemovalDeepInsideIsFound() throws Exception {
        // The log is read 5,000 entries at a time; 12,010 entries span three pages.
        java.util.List<Thread> writers = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1_500; i++) {
                    registry.auditLog().record(AuditEvent.of("key:0a1b2c3d (ward-7)", "predict", "m@1", "ok", "rows=1"));
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        AuditVerification whole = registry.auditLog().verify();
        assertThat(whole.intact()).as(whole.problems().toString()).isTrue();
        assertThat(whole.entries()).isEqualTo(12_010);
        assertThat(registry.auditLog().forEach(e -> { })).isEqualTo(12_010);
        sql("DELETE FROM audit_entry WHERE seq = 7001");
        assertThat(registry.auditLog().verify().problems()).containsExactly("entry 7001 is missing",
                "entry 7002 does not follow the entry before it (removed or reordered)");
    }

    @Test
    void aRemovedAndRenumberedEntryIsFound() throws Exception {
        sql("DELETE FROM audit_entry WHERE seq = 6", "UPDATE audit_entry SET seq = seq - 1 WHERE seq > 6");
        assertThat(registry.auditLog().verify().intact()).isFalse();
    }

    @Test
    void reorderedEntriesAreFound() throws Exception {
        sql("UPDATE audit_entry SET seq = 100 WHERE seq = 3", "UPDATE audit_entry SET seq = 3 WHERE seq = 4",
                "UPDATE audit_entry SET seq = 4 WHERE seq = 100");
        assertThat(registry.auditLog().verify().problems()).isNotEmpty()
                .anyMatch(p -> p.contains("does not follow") || p.contains("altered"));
    }

    @Test
    void aTruncatedEndIsFoundEvenWhenTheHeadIsMovedBack() throws Exception {
        sql("DELETE FROM audit_entry WHERE seq > 8");
        assertThat(registry.auditLog().verify().problems()).containsExactly("entries 9–10 at the end are missing");
        // Moving the head back to entry 8 needs the head's signature, which needs the key.
        sql("UPDATE audit_head SET seq = 8, entry_hash = (SELECT entry_hash FROM audit_entry WHERE seq = 8)");
        assertThat(registry.auditLog().verify().problems())
                .containsExactly("the head's signature does not match (the head was rewritten)");
    }

    @Test
    void aRecomputedPlainHashDoesNotHelpWithoutTheKey() throws Exception {
        // Replacing a hash with any value that is not the keyed hash is caught.
        sql("UPDATE audit_entry SET actor = 'someone-else', entry_hash = '" + "f".repeat(64) + "' WHERE seq = 10");
        assertThat(registry.auditLog().verify().problems()).contains("entry 10 was altered (its hash does not match its fields)");
    }

    @Test
    void aLogWithEntriesButNoKeyRefusesToWriteAndSaysWhy() throws Exception {
        registry.close();
        Files.delete(home.resolve("audit.key"));
        try (ModelRegistry reopened = ModelRegistry.embedded(home)) {
            assertThatThrownBy(() -> reopened.auditLog().record(AuditEvent.of("a", "predict", "m@1", "ok", "")))
                    .hasMessageContaining("audit.key");
            assertThat(reopened.auditLog().entries(AuditQuery.first(100))).hasSize(10);
        }
    }
}
