package org.medmaas.registry;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
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
final class JournaledWriter implements AutoCloseable {

    /** A lease is committed once it is this old… */
    private static final long LEASE_NANOS = 50_000_000L;
    /** …or when no entry has come for this long… */
    private static final long IDLE_MILLIS = 2;
    /** …or when it holds this many entries. */
    private static final int MAX_LEASE_ENTRIES = 20_000;

    private final Database database;
    private final byte[] key;
    private final AuditJournal journal;
    private final BooleanSupplier replay;
    private final Thread indexer;

    /** Held while entries are numbered and journaled, and while a lease is taken or ended. */
    private final ReentrantLock chain = new ReentrantLock();
    // Guarded by chain, except that the indexer reads lease without it: only the writer sets it (when
    // there is none, so the indexer has nothing to insert) and only the indexer clears it.
    private volatile Connection lease;
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

    JournaledWriter(Database database, byte[] key, AuditJournal journal, BooleanSupplier replay) {
        this.database = database;
        this.key = key;
        this.journal = journal;
        this.replay = replay;
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
                journal.append(entries);
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
            lease = c;
            leaseSince = System.nanoTime();
            leaseEntries = 0;
        } catch (SQLException | RuntimeException e) {
            close(c, true);
            throw e instanceof SQLException s ? Database.failed(s) : (RuntimeException) e;
        }
    }

    /**
     * After a failed insert or commit: the acknowledged entries are in the journal but not in the
     * database, and nothing may be numbered until they are (the head would be behind them).
     */
    private void recover() {
        try {
            if (!replay.getAsBoolean()) {
                throw broken;
            }
        } catch (RuntimeException e) {
            throw broken;
        }
        broken = null;
        failed = false;
    }

    private void indexLoop() {
        while (true) {
            try {
                List<AuditEntry> next = toInsert.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (next != null) {
                    insert(next);
                }
                boolean due;
                chain.lock();
                try {
                    due = lease != null && (next == null || flushWanted || stopping
                            || System.nanoTime() - leaseSince > LEASE_NANOS || leaseEntries >= MAX_LEASE_ENTRIES);
                    if (due) {
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
            } catch (RuntimeException e) {
                // insert() failed outside the chain lock: end the lease as failed
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
        synchronized (committed) {
            committed.notifyAll();
        }
    }

    /** Rolls the lease back; writing stops until the journal is replayed into the database. Holds the chain lock. */
    private void fail(Exception e) {
        toInsert.clear();
        close(lease, true);
        lease = null;
        broken = e instanceof MedmaasException m ? m
                : e instanceof SQLException s ? Database.failed(s)
                : new MedmaasException(ErrorCode.IO, "Could not write the audit log: " + e.getMessage(), e);
        failed = true;
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
                if (indexerGone()) {
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

    private boolean indexerGone() {
        return !indexer.isAlive();
    }

    /** Commits what is numbered and stops the indexer. Call after the last {@link #write}. */
    @Override
    public void close() {
        stopping = true;
        try {
            indexer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
