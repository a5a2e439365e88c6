package org.medmaas.server.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.medmaas.registry.AuditEvent;
import org.medmaas.registry.AuditLog;

/**
 * Audits the refusals a client can repeat at will (failed authentication, unrouted paths, calls
 * the HTTP layer refuses, calls over a rate limit) without letting a flood grow the audit log
 * without bound. The first refusal of a kind from one source in a window is written at once,
 * like any other call; the others in that window are counted, and one entry with the count is
 * written when the window closes (checked every second) or when the server stops. So every
 * refused request is in the audit, as itself or in a count.
 *
 * <p>Hand-written: a map of counters and a timer, which no library does better.
 */
public final class RefusalAudit implements AutoCloseable {

    /** Sources kept apart at most; past it, new sources share one window (a flood from many addresses). */
    static final int MAX_SOURCES = 10_000;
    static final String OTHER_SOURCES = "(other clients)";

    private static final System.Logger LOG = System.getLogger("medmaas.server");

    private final AuditLog audit;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<Key, Window> open = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    /** Set by {@link #close()}: refusals after it (a request finishing late) are written one by one. */
    private boolean closed;

    /** One kind of refusal from one source: a client address, or a key for its rate limit. */
    private record Key(String source, String action, String outcome) {
    }

    /** An open window: when it opened, and how many refusals came after the first. */
    private static final class Window {
        final long openedNanos;
        final Instant openedAt;
        final String actor;
        long more;

        Window(long openedNanos, Instant openedAt, String actor) {
            this.openedNanos = openedNanos;
            this.openedAt = openedAt;
            this.actor = actor;
        }
    }

    public RefusalAudit(AuditLog audit, java.time.Duration window) {
        this(audit, window, System::nanoTime, true);
    }

    RefusalAudit(AuditLog audit, java.time.Duration window, LongSupplier clock, boolean timed) {
        this.audit = audit;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        if (timed) {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "medmaas-refusal-audit");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::closeExpiredQuietly, 1, 1, TimeUnit.SECONDS);
        } else {
            this.timer = null;
        }
    }

    /**
     * Records one refusal from {@code source}: written now when it opens a window (so a failure to
     * write reaches the caller, who answers 503 as for any call that cannot be audited), counted
     * otherwise.
     */
    public void refused(String source, AuditEvent event) {
        // Expired windows are closed by the timer (each second), not here: a sweep per refusal
        // would cost a flood of them time in proportion to the sources tracked.
        Key key;
        Window opened;
        synchronized (open) {
            if (closed) {
                opened = null;
                key = null;
            } else {
                key = new Key(open.size() >= MAX_SOURCES && !open.containsKey(new Key(source, event.action(), event.outcome()))
                    ? OTHER_SOURCES : source, event.action(), event.outcome());
                Window w = open.get(key);
                if (w != null) {
                    w.more++;
                    return;
                }
                opened = new Window(clock.getAsLong(), event.at(), event.actor());
                open.put(key, opened);
            }
        }
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            if (opened != null) {
                synchronized (open) {
                    if (open.get(key) == opened && opened.more == 0) {
                        open.remove(key); // nothing counted yet: the next refusal tries again, as a first one
                    } else if (open.get(key) == opened) {
                        opened.more++; // others were counted meanwhile: this one goes into their count
                    } else if (!closed) {
                        // The timer took the window meanwhile: this one goes into a window due at once.
                        Window retry = new Window(clock.getAsLong() - windowNanos, event.at(), event.actor());
                        retry.more = 1;
                        open.merge(key, retry, (existing, late) -> {
                            existing.more += late.more;
                            return existing;
                        });
                    }
                }
            }
            throw e;
        }
    }

    /** Writes the count of every window older than the window length. */
    void closeExpired() {
        closeWindows(false);
    }

    private void closeExpiredQuietly() {
        try {
            closeExpired();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Counts of refused calls could not be audited yet; retrying: "
                    + e.getClass().getSimpleName());
        }
    }

    private void closeWindows(boolean all) {
        long now = clock.getAsLong();
        // Each window taken with its count as of now, under the lock (a copy: counting goes on in
        // the window object until it is out of the map).
        List<Map.Entry<Key, Window>> due = new ArrayList<>();
        synchronized (open) {
            for (Iterator<Map.Entry<Key, Window>> it = open.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Key, Window> e = it.next();
                if (all || now - e.getValue().openedNanos >= windowNanos) {
                    it.remove();
                    if (e.getValue().more > 0) {
                        Window copy = new Window(e.getValue().openedNanos, e.getValue().openedAt, e.getValue().actor);
                        copy.more = e.getValue().more;
                        due.add(Map.entry(e.getKey(), copy));
                    }
                }
            }
            if (all) {
                closed = true;
            }
        }
        RuntimeException failed = null;
        for (Map.Entry<Key, Window> e : due) {
            Key k = e.getKey();
            Window w = e.getValue();
            try {
                audit.record(new AuditEvent(Instant.now(), w.actor, k.action(), clip("from " + k.source()), k.outcome(), "", "", 0,
                        w.more + " more of these from this source since " + w.openedAt + " (counted, not written one by one)"));
            } catch (RuntimeException ex) {
                failed = ex;
                synchronized (open) {
                    // Kept for the next try: the count must not be lost with a failed write.
                    Window back = new Window(w.openedNanos - windowNanos, w.openedAt, w.actor);
                    back.more = w.more;
                    open.merge(k, back, (existing, retry) -> {
                        existing.more += retry.more;
                        return existing;
                    });
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static String clip(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }

    /** Stops the timer (letting a write in progress finish) and writes every open count. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            closeWindows(true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Counts of refused calls could not be audited at shutdown: "
                    + e.getClass().getSimpleName());
        }
    }
}
