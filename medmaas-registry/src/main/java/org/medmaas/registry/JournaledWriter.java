package org.medmaas.registry;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * How the audit log writes on the embedded H2 file when this process holds the journal: an entry
 * is acknowledged once it is chained and forced to disk in the {@link AuditJournal}; a second
 * thread (the indexer) inserts it into the database, and commits there every few tens of
 * milliseconds rather than once per group of requests.
 *
 * <p>Why: inserting and committing each small group in H2 before answering took about a fifth of
 * the server's CPU on an audited route and sat in every request's latency (issue 12's profile).
 * One commit for hundreds of entries costs little more than one for ten.
 *
 * <p>The chain stays one chain across processes. Entries are numbered only while this writer holds
 * a lease: an open transaction that has locked the log's head row, which every other writer (a
 * CLI on the same registry, say) locks too. The lease ends with the commit that writes the head,
 * after every entry numbered under it is inserted; the next lease reads the head again, so entries
 * another process wrote in between are chained after, never forked. Other writers wait at most
 * one lease (about 50 ms).
 *
 * <p>An acknowledged entry is never lost: it is in the journal before the answer, and a crash or a
 * failed insert is made good by replaying the journal into the database (at the next start, or
 * here before anything else is written). Readers in this process see every acknowledged entry
 * ({@link #awaitCommitted()}); other processes see entries up to one lease late.
 */
final class JournaledWriter {

    /** A lease is committed once it is this old… */
    private static final long LEASE_NANOS = 50_000_000L;
    /** …or when no entry has come for this long… */
    private static final long IDLE_MILLIS = 2;
    /** …or when it holds this many entries. */
    private static final int MAX_LEASE_ENTRIES = 20_000;

    private final Database database;
    private final byte[] key;
    private final AuditJournal journal;
    private final Thread indexer;

    /** Held while entries are numbered and journaled, and while a lease is taken or ended. */
    private final ReentrantLock chain = new ReentrantLock();
    // Guarded by chain, except that the indexer reads lease without it: only the writer sets it (when
    // there is none, so the indexer has nothing to insert) and only the indexer clears it.
    private volatile Connection lease;
    /** Taken right after the head row is locked: a failed insert rolls back to it and keeps the lock. */
    private Savepoint leaseStart;
    private long leaseSince;
    private long leaseEntries;
    private long headSeq;
    private String headHash = AuditLog.GENESIS;
    private MedmaasException broken;
    private volatile boolean failed;

    /** Entries numbered under the current lease, in order, for the indexer to insert. */
    private final LinkedBlockingQueue<List<AuditEntry>> toInsert = new LinkedBlockingQueue<>();
    private volatile long lastCommitted;
    private volatile long lastAcknowledged;
    private volatile boolean flushWanted;
    private volatile boolean stopping;
    private final Object committed = new Object();
    private static final System.Logger LOG = System.getLogger("medmaas.audit");

    JournaledWriter(Database database, byte[] key, AuditJournal journal) {
        this.database = database;
        this.key = key;
        this.journal = journal;
        this.indexer = new Thread(this::indexLoop, "medmaas-audit-indexer");
        indexer.setDaemon(true);
        indexer.start();
    }

    /**
     * Numbers the events after the head, journals them and forces the journal to disk; returns the
     * entries, durable. Called by the audit log's one writer thread.
     *
     * @throws IOException when the journal could not be written: the entries are still inserted
     *                     (an extra entry is safer than a missing one), but the callers fail
     */
    List<AuditEntry> write(List<AuditEvent> events) throws IOException {
        chain.lock();
        try {
            if (!indexer.isAlive()) {
                throw new MedmaasException(ErrorCode.IO, "The audit log's indexer has stopped; restart the server (the journal"
                        + " keeps every entry already answered for).");
            }
            if (broken != null) {
                recover();
            }
            if (lease == null) {
                takeLease();
            }
            Mac mac = AuditLog.mac(key);
            List<AuditEntry> entries = new ArrayList<>(events.size());
            for (AuditEvent e : events) {
                headSeq++;
                String hash = AuditLog.entryHash(mac, headSeq, e, headHash);
                entries.add(new AuditEntry(headSeq, e, headHash, hash));
                headHash = hash;
            }
            leaseEntries += entries.size();
            toInsert.add(entries);
            synchronized (journal) {
                try {
                    journal.append(entries);
                } catch (IOException first) {
                    // Once more, in a new segment (the journal starts one after a failed append): a gap
                    // in the journal would stop a later replay at these entries.
                    journal.append(entries);
                }
            }
            lastAcknowledged = headSeq;
            return entries;
        } finally {
            chain.unlock();
        }
    }

    /** Opens a transaction and locks the head row: from now on this process numbers entries. */
    private void takeLease() {
        Connection c = null;
        try {
            c = database.connection();
            c.setAutoCommit(false);
            AuditLog.Head head = AuditLog.head(c, true);
            headSeq = head.seq();
            headHash = head.entryHash();
            leaseStart = c.setSavepoint();
            lease = c;
            leaseSince = System.nanoTime();
            leaseEntries = 0;
        } catch (SQLException | RuntimeException e) {
            close(c, true);
            throw e instanceof SQLException s ? Database.failed(s) : (RuntimeException) e;
        }
    }

    /**
     * After a lease failed and could not put its entries back: the acknowledged entries are in the
     * journal but not in the database, and nothing may be numbered until they are (the head would
     * be behind them). Takes a new lease and applies the journal in it. Holds the chain lock.
     */
    private void recover() {
        takeLease();
        try {
            if (applyJournal(lease) < 0) {
                throw new MedmaasException(ErrorCode.INTEGRITY, "The audit journal does not follow the log's head (another"
                        + " writer chained onto it after a failed insert); restart the server: the journal is set aside for review.");
            }
            lease.commit();
            lastCommitted = headSeq;
            close(lease, false);
            lease = null;
            broken = null;
            failed = false;
            LOG.log(System.Logger.Level.WARNING, "The audit entries the database had refused are in it now, from the journal.");
        } catch (SQLException | RuntimeException e) {
            close(lease, true);
            lease = null;
            throw e instanceof MedmaasException m && m.code() == ErrorCode.INTEGRITY ? m : broken;
        }
    }

    /**
     * Applies the journal's entries after the head in the lease's transaction and moves the chain's
     * head to its end; -1 when the journal does not follow the head. Holds the chain lock.
     */
    private int applyJournal(Connection c) throws SQLException {
        List<AuditEntry> entries;
        synchronized (journal) {
            entries = journal.entries(); // the checkpointer deletes segments under this lock
        }
        int applied = AuditLog.applyJournal(c, AuditLog.mac(key), entries);
        if (applied >= 0) {
            AuditLog.Head head = AuditLog.head(c, true);
            headSeq = head.seq();
            headHash = head.entryHash();
        }
        return applied;
    }

    private void indexLoop() {
        while (true) {
            try {
                // Every 2 ms while a lease is open (to end it when entries stop coming), else asleep.
                List<AuditEntry> next = toInsert.poll(lease != null ? IDLE_MILLIS : 1_000, TimeUnit.MILLISECONDS);
                boolean entries = next != null && !next.isEmpty(); // an empty list only wakes this thread
                if (entries) {
                    insert(next);
                }
                chain.lock();
                try {
                    if (lease != null && (!entries || flushWanted || stopping
                            || System.nanoTime() - leaseSince > LEASE_NANOS || leaseEntries >= MAX_LEASE_ENTRIES)) {
                        endLease();
                    } else if (lease == null && stopping && toInsert.isEmpty()) {
                        return;
                    }
                } finally {
                    chain.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                // insert() failed outside the chain lock (or worse): the lease puts its entries back or fails
                chain.lock();
                try {
                    fail(e);
                } finally {
                    chain.unlock();
                }
            }
        }
    }

    /** The connection of a live lease; numbered entries exist only while one is held. */
    private void insert(List<AuditEntry> entries) {
        Connection c = lease;
        if (c == null) {
            return; // the lease failed and was rolled back; the journal's replay puts these back
        }
        try {
            AuditLog.insert(c, entries);
        } catch (SQLException e) {
            throw Database.failed(e);
        }
    }

    /** Inserts what is left, writes the head and commits; the head row is free again. Holds the chain lock. */
    private void endLease() {
        try {
            List<List<AuditEntry>> rest = new ArrayList<>();
            toInsert.drainTo(rest);
            for (List<AuditEntry> entries : rest) {
                AuditLog.insert(lease, entries);
            }
            if (leaseEntries > 0) {
                AuditLog.setHead(lease, AuditLog.mac(key), headSeq, headHash);
            }
            lease.commit();
            close(lease, false);
            lease = null;
            lastCommitted = headSeq;
        } catch (SQLException | RuntimeException e) {
            fail(e);
        }
        flushWanted = false;
        signalCommitted();
    }

    /**
     * A lease whose insert or commit failed: rolled back to just after its lock on the head row
     * (which it keeps, so no other writer can chain onto the old head meanwhile), the journal's
     * entries applied in its place and committed. If that fails too, the lease is rolled back and
     * writing stops until {@link #recover()} manages it. Holds the chain lock.
     */
    private void fail(Throwable e) {
        toInsert.clear();
        if (lease == null) {
            // failed outside a lease: make sure the journal is applied before anything else is numbered
            broken = new MedmaasException(ErrorCode.IO, "The audit log's indexer failed: " + e.getClass().getSimpleName(), e);
            failed = true;
            signalCommitted();
            return;
        }
        try {
            lease.rollback(leaseStart);
            if (applyJournal(lease) >= 0) {
                lease.commit();
                lastCommitted = headSeq;
                close(lease, false);
                lease = null;
                LOG.log(System.Logger.Level.WARNING, "An audit insert failed (" + e.getClass().getSimpleName()
                        + "); its entries were put back from the journal.");
                signalCommitted();
                return;
            }
        } catch (SQLException | RuntimeException again) {
            // the database refuses them still: stop numbering until it takes them
        }
        close(lease, true);
        lease = null;
        broken = e instanceof MedmaasException m ? m
                : e instanceof SQLException s ? Database.failed(s)
                : new MedmaasException(ErrorCode.IO, "Could not write the audit log: " + e.getClass().getSimpleName(), e);
        failed = true;
        signalCommitted();
    }

    private void signalCommitted() {
        synchronized (committed) {
            committed.notifyAll();
        }
    }

    private static void close(Connection c, boolean rollback) {
        if (c == null) {
            return;
        }
        try {
            if (rollback) {
                c.rollback();
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // the pool replaces a broken connection
        }
        try {
            c.close();
        } catch (SQLException e) {
            // as above
        }
    }

    /** The last entry committed to the database. */
    long lastCommitted() {
        return lastCommitted;
    }

    /**
     * Waits until every entry acknowledged so far is committed to the database, so a reader in this
     * process sees what it was told is written.
     */
    void awaitCommitted() {
        long target = lastAcknowledged;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (committed) {
            while (lastCommitted < target) {
                flushWanted = true;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MedmaasException(ErrorCode.IO, "The audit log's entries were not committed to the database"
                            + " within 30 s; they are safe in its journal.");
                }
                if (!indexer.isAlive()) {
                    return; // nothing more will be committed here; the journal replays them at the next start
                }
                try {
                    committed.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (failed) {
                    return; // the reader sees what the database has; the journal holds the rest
                }
            }
        }
    }

    /**
     * Commits what is numbered and stops the indexer. Call after the last {@link #write}. Returns
     * whether every acknowledged entry is in the database (if not, the journal must be kept for the
     * replay at the next start).
     */
    boolean close() {
        stopping = true;
        toInsert.add(List.of()); // wakes the indexer
        try {
            indexer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chain.lock();
        try {
            if (!indexer.isAlive() && broken != null) {
                try {
                    recover();
                } catch (RuntimeException e) {
                    // kept for the next start
                }
            }
            return !indexer.isAlive() && broken == null && lease == null && lastCommitted >= lastAcknowledged;
        } finally {
            chain.unlock();
        }
    }
}
