package org.medmaas.registry;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.medmaas.core.error.MedmaasException;

/**
 * The audit log's write-ahead journal on the embedded H2 file. An entry counts as written once
 * its bytes are appended here and forced to disk; the database commits it without a checkpoint
 * and writes its file later, as H2 does by itself. A checkpoint every few seconds then lets the
 * journal drop what the file now holds. After a crash, {@link #entries()} gives what the file may
 * have lost and the log replays it before anything else is written.
 *
 * <p>Why: a checkpoint per group commit made every commit a file write and sync. It cost the
 * audited request its p99 (H2's chunk rewrites ran inside the checkpoint) and about 1,600–2,700
 * bytes of file per entry at 5,000 entries/s. An fsync here takes 0.2–0.5 ms.
 *
 * <p>One process writes the journal at a time: the one holding {@code journal.lock}. Others (the
 * CLI while a server runs, a second registry in the same JVM) commit with a checkpoint instead.
 *
 * <p>Records: {@code [int length][int CRC32C of the payload][payload]}. A record cut short by a
 * crash fails its length or checksum and ends the reading of its segment; it was never
 * acknowledged. Hand-written: this is a few dozen lines no library offers in this shape.
 *
 * <p>Segments are written in place, not appended: a background thread prepares the next segment
 * ahead of time, filled with zeros and forced to disk, half as large again as the last one took.
 * Forcing an append also forces the file's new size, which on ext4 is a commit of the file
 * system's own journal on top of the data. Overwriting blocks the file already has forces only the
 * data: 25–40 % less time and CPU per fsync on this project's benchmark machine
 * ({@code medmaas-bench/peers/fsync_modes.py}). A zero length ends a segment's reading, as a torn
 * record does. A segment outgrown (or none prepared yet) is appended to as before.
 */
final class AuditJournal implements AutoCloseable {

    private static final String SUFFIX = ".journal";
    private static final long SEGMENT_NANOS = 1_000_000_000L;
    /** A prepared segment holds half as much again as the last one took, within these bounds (the zeros are written too). */
    private static final long MIN_PREPARED_BYTES = 1L << 20;
    private static final long MAX_PREPARED_BYTES = 64L << 20;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Closed segments, oldest first: their first entry number and path. */
    private final Deque<Segment> closed = new ArrayDeque<>();
    private Segment active;
    private FileChannel activeChannel;
    private long activeSince;
    /** Where the next record goes in the active segment, and how far it was prepared (0: appended to). */
    private long activePosition;
    private long activePrepared;
    /** Segment files are numbered in the order they are made (by the writer and the preparer alike). */
    private final java.util.concurrent.atomic.AtomicLong nextFileNumber;
    private final Preparer preparer;

    private record Segment(long firstSeq, Path path) {
    }

    private AuditJournal(Path dir, FileChannel lockChannel, FileLock lock, long nextFileNumber) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.nextFileNumber = new java.util.concurrent.atomic.AtomicLong(nextFileNumber);
        this.preparer = new Preparer();
    }

    /** The journal in {@code dir} if this process can take it; empty when another process (or registry) holds it. */
    static Optional<AuditJournal> claim(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another registry in this JVM holds it
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            // After every segment there, and every one set aside (".unapplied"): a new file never
            // takes the name of one kept for review.
            long next = 1;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.length() >= 20 + SUFFIX.length() && name.startsWith(SUFFIX, 20)
                            && name.chars().limit(20).allMatch(Character::isDigit)) {
                        try {
                            next = Math.max(next, Math.addExact(Long.parseLong(name.substring(0, 20)), 1));
                        } catch (NumberFormatException | ArithmeticException tooLarge) {
                            // not a name this journal gave; ignored
                        }
                    }
                }
            }
            return Optional.of(new AuditJournal(dir, channel, lock, next));
        } catch (IOException e) {
            throw MedmaasException.io("Could not open the audit journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every whole entry in the journal's segments, by entry number (for replay after a crash). */
    List<AuditEntry> entries() {
        List<AuditEntry> out = new ArrayList<>();
        for (Path segment : segments()) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(segment)))) {
                while (true) {
                    int length;
                    try {
                        length = in.readInt();
                    } catch (EOFException end) {
                        break;
                    }
                    if (length <= 0 || length > 1 << 20) {
                        break; // a torn record
                    }
                    int crc;
                    byte[] payload = new byte[length];
                    try {
                        crc = in.readInt();
                        in.readFully(payload);
                    } catch (EOFException torn) {
                        break; // cut short by a crash: never acknowledged
                    }
                    if (crc32c(payload) != crc) {
                        break;
                    }
                    out.add(decode(payload));
                }
            } catch (IOException e) {
                throw MedmaasException.io("Could not read the audit journal " + segment + ": " + e.getMessage(), e);
            }
        }
        out.sort(Comparator.comparingLong(AuditEntry::seq));
        return out;
    }

    /**
     * Writes entries (in order) after the last ones and forces them to disk; starts a new segment
     * each second, or when the prepared one is full.
     */
    void append(List<AuditEntry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(entries.size() * 512);
        DataOutputStream out = new DataOutputStream(bytes);
        for (AuditEntry e : entries) {
            byte[] payload = encode(e);
            out.writeInt(payload.length);
            out.writeInt(crc32c(payload));
            out.write(payload);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        long now = System.nanoTime();
        if (active != null && (now - activeSince > SEGMENT_NANOS
                || activePrepared > 0 && activePosition + buffer.remaining() > activePrepared)) {
            closeActive();
        }
        if (active == null) {
            openSegment(entries.get(0).seq(), now);
        }
        try {
            while (buffer.hasRemaining()) {
                activePosition += activeChannel.write(buffer, activePosition);
            }
            activeChannel.force(false);
        } catch (IOException e) {
            closeActive(); // a record cut short ends the reading of its segment: later records go to a new one
            throw e;
        }
    }

    /** Starts the next segment: the prepared one if it is ready, else a new file that grows as it is written. */
    private void openSegment(long firstSeq, long now) throws IOException {
        Optional<Preparer.Prepared> prepared = preparer.take();
        FileChannel channel = null;
        if (prepared.isPresent()) {
            try {
                channel = FileChannel.open(prepared.get().path(), StandardOpenOption.WRITE);
            } catch (IOException gone) {
                // removed meanwhile (the journal was dropped whole): start a plain one
            }
        }
        if (channel != null) {
            active = new Segment(firstSeq, prepared.orElseThrow().path());
            activePrepared = prepared.get().bytes();
        } else {
            Path path = dir.resolve(String.format("%020d", nextFileNumber.getAndIncrement()) + SUFFIX);
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE); // before it is active
            active = new Segment(firstSeq, path);
            activePrepared = 0;
            syncDirectory(); // so the new segment's name survives a power loss, not only its bytes
        }
        activeChannel = channel;
        activeSince = now;
        activePosition = 0;
    }

    /** Ends the active segment: what was prepared and not used is cut off (no need to force that). */
    private void closeActive() {
        try {
            if (activePrepared > 0) {
                activeChannel.truncate(activePosition);
            }
        } catch (IOException e) {
            // the zeros stay: they read as the segment's end
        }
        try {
            activeChannel.close();
        } catch (IOException e) {
            // every record in it was forced when written
        }
        closed.addLast(active);
        preparer.want(activePosition);
        active = null;
    }

    /**
     * Prepares the next segment on its own thread: a numbered file of zeros, forced to disk with its
     * directory entry, half as large again as the last segment took.
     */
    private final class Preparer {

        record Prepared(Path path, long bytes) {
        }

        private Thread thread;
        private Prepared ready;
        private long wantedBytes;
        private boolean stopped;

        /** The prepared segment, if one is ready; asks for the next. */
        synchronized Optional<Prepared> take() {
            Optional<Prepared> out = Optional.ofNullable(ready);
            ready = null;
            if (wantedBytes == 0) {
                wantedBytes = MIN_PREPARED_BYTES;
            }
            start();
            notifyAll();
            return out;
        }

        synchronized void want(long lastSegmentBytes) {
            wantedBytes = Math.min(MAX_PREPARED_BYTES, Math.max(MIN_PREPARED_BYTES, lastSegmentBytes + lastSegmentBytes / 2));
        }

        private void start() {
            if (thread == null && !stopped) {
                thread = Thread.ofPlatform().daemon().name("medmaas-audit-journal-preparer").start(this::loop);
            }
        }

        private void loop() {
            while (true) {
                long bytes;
                Path path;
                synchronized (this) {
                    while (!stopped && ready != null) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (stopped) {
                        return;
                    }
                    bytes = wantedBytes;
                    path = dir.resolve(String.format("%020d", nextFileNumber.getAndIncrement()) + SUFFIX);
                }
                try {
                    zeros(path, bytes);
                } catch (IOException e) {
                    delete(path); // the writer appends to plain segments meanwhile
                    synchronized (this) {
                        try {
                            wait(10_000); // a full disk: not every second, it needs the room for the rest
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                    continue;
                }
                synchronized (this) {
                    if (stopped) {
                        delete(path);
                        return;
                    }
                    ready = new Prepared(path, bytes);
                }
            }
        }

        private void zeros(Path path, long bytes) throws IOException {
            try (FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer block = ByteBuffer.allocateDirect(1 << 16);
                for (long at = 0; at < bytes; at += block.capacity()) {
                    block.clear();
                    while (block.hasRemaining()) {
                        c.write(block, at + block.position());
                    }
                }
                c.force(true);
            }
            syncDirectory();
        }

        /** Stops preparing; a prepared segment not taken is deleted (a crash leaves it: zeros read as nothing). */
        void stop() {
            Thread t;
            synchronized (this) {
                stopped = true;
                t = thread;
                notifyAll();
            }
            if (t != null) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                if (ready != null) {
                    delete(ready.path());
                    ready = null;
                }
            }
        }
    }

    /** Deletes the closed segments that hold only entries up to {@code durableSeq} (now in the synced database file). */
    void dropThrough(long durableSeq) {
        while (!closed.isEmpty()) {
            Segment oldest = closed.removeFirst();
            // A segment ends just before the next one begins.
            Segment next = closed.isEmpty() ? active : closed.peekFirst();
            if (next == null || next.firstSeq() - 1 > durableSeq) {
                closed.addFirst(oldest);
                return;
            }
            delete(oldest.path());
        }
    }

    /** Deletes every segment (after a replay made them all durable in the database). */
    void dropAll() {
        segments().forEach(AuditJournal::delete);
    }

    /** Sets segments aside that could not be replayed, for an operator to look at; they are not read again. */
    List<Path> setAside() {
        List<Path> moved = new ArrayList<>();
        for (Path segment : segments()) {
            Path target = segment.resolveSibling(segment.getFileName() + ".unapplied");
            try {
                Files.move(segment, target, StandardCopyOption.REPLACE_EXISTING);
                moved.add(target);
            } catch (IOException e) {
                throw MedmaasException.io("Could not set aside the audit journal " + segment + ": " + e.getMessage(), e);
            }
        }
        return moved;
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw MedmaasException.io("Could not list the audit journal " + dir + ": " + e.getMessage(), e);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the segment's own bytes are still forced
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next checkpoint or replay, which skips entries the database already holds
        }
    }

    private static byte[] encode(AuditEntry e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        AuditEvent v = e.event();
        out.writeLong(e.seq());
        out.writeLong(v.at().toEpochMilli());
        for (String s : List.of(v.actor(), v.action(), v.resource(), v.outcome(), v.requestId(), v.inputSha256(), v.details(),
                e.prevHash(), e.entryHash())) {
            out.writeUTF(s);
        }
        out.writeLong(v.latencyMicros());
        return bytes.toByteArray();
    }

    private static AuditEntry decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        long seq = in.readLong();
        Instant at = Instant.ofEpochMilli(in.readLong());
        String[] s = new String[9];
        for (int i = 0; i < s.length; i++) {
            s[i] = in.readUTF();
        }
        long latency = in.readLong();
        return new AuditEntry(seq, new AuditEvent(at, s[0], s[1], s[2], s[3], s[4], s[5], latency, s[6]), s[7], s[8]);
    }

    private static int crc32c(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Override
    public void close() {
        preparer.stop();
        synchronized (this) { // a writer still in append (its thread outlived the log's join) finishes first
            if (active != null) {
                closeActive();
            }
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // closing: the lock goes with the process anyway
        }
    }
}
