package org.medmaas.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The access log: one JSON line per answered request, written by a thread of its own so that a
 * request never waits for the log's write. Lines queue up and are written together, at most 20 ms
 * after they come: under load that is one write for hundreds of lines, where a
 * {@code java.util.logging} console handler formatted a date and flushed a write per request
 * (4–11 % of the server's CPU in the JFR profile of issue 12). Nothing is dropped: when the queue
 * is full, requests wait for the writer.
 *
 * <p>The {@code java.util.logging} logger {@code medmaas.access} still decides: a level above INFO
 * turns the log off, and handlers configured on it (a rotating {@code FileHandler}, say) receive
 * each line instead of standard error.
 *
 * <p>Hand-written: a few dozen lines; an asynchronous logging framework would be a dependency for this alone.
 */
public final class AccessLog implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger("medmaas.access");
    private static final int CAPACITY = 16_384;
    /** How long the writer sleeps between writes: the longest a line waits. */
    private static final long LINGER_MILLIS = 20;
    private static final int BUFFER_CHARS = 1 << 16;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private final OutputStream out;
    private final Thread writer;
    private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    /** The access log on standard error (or the logger's own handlers, when configured). */
    public AccessLog() {
        this(System.err);
    }

    AccessLog(OutputStream out) {
        this.out = out;
        this.writer = new Thread(this::writeLoop, "medmaas-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    public boolean enabled() {
        return LOGGER.isLoggable(Level.INFO);
    }

    /** Queues one line (a JSON object without its time; the time is added in front). */
    public void log(String json) {
        if (!enabled()) {
            return;
        }
        String line = "{\"time\":\"" + Instant.now() + "\"," + json.substring(1);
        try {
            // Waits while the queue is full (the writer is behind), but not for a writer that is gone.
            if (closed || !lines.offer(line, 1, java.util.concurrent.TimeUnit.SECONDS)) {
                dropped.increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lines not written: logged after close, or while the writer could not keep up for a whole second. */
    public long dropped() {
        return dropped.sum();
    }

    private void writeLoop() {
        List<String> batch = new ArrayList<>(4096);
        StringBuilder text = new StringBuilder(1 << 16);
        while (true) {
            // A sleep, not a blocking poll: a writer waiting on the queue is woken by every line
            // (a futex call each), one that sleeps is woken by none.
            try {
                Thread.sleep(LINGER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // close() is waiting: write what is queued and stop
            }
            boolean stop = Thread.currentThread().isInterrupted();
            while (lines.drainTo(batch, 4096) > 0) {
                for (String line : batch) {
                    text.append(line).append('\n');
                }
                batch.clear();
                if (text.length() >= BUFFER_CHARS) {
                    write(text);
                    text.setLength(0);
                }
            }
            write(text);
            text.setLength(0);
            if (stop) {
                return;
            }
        }
    }

    private void write(StringBuilder text) {
        try {
            writeOrFail(text);
        } catch (RuntimeException | Error e) {
            // A handler that throws loses these lines, not the log: the next ones are tried again.
            dropped.add(text.chars().filter(ch -> ch == '\n').count());
        }
    }

    private void writeOrFail(StringBuilder text) {
        if (text.isEmpty()) {
            return;
        }
        Handler[] handlers = LOGGER.getHandlers();
        if (handlers.length > 0) {
            for (String line : text.toString().split("\n")) {
                LogRecord record = new LogRecord(Level.INFO, line);
                record.setLoggerName(LOGGER.getName());
                for (Handler h : handlers) {
                    h.publish(record);
                }
            }
            return;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // standard error closed: nothing else to tell it to
        }
    }

    /** Writes what is queued, then stops the writer; lines logged after this are dropped (counted). */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
