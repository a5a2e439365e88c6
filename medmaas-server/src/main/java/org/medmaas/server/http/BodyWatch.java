package org.medmaas.server.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The deadlines of request bodies being read, watched by one thread that looks every 10 ms and
 * interrupts a reader past its deadline (interrupting a virtual thread blocked on a socket closes
 * that socket, JEP 444). Before, each body scheduled and cancelled a task on a timer: 7 µs of CPU
 * per request, most of it the kernel waking the timer's thread (issue 12's profile). Here a
 * reader only adds itself to a map and removes itself; the watcher wakes on its own clock while
 * bodies are being read, and sleeps after a second without any.
 *
 * <p>Hand-written: a few lines; a timer wheel library would be a dependency for this alone.
 */
final class BodyWatch {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ConcurrentHashMap<Reading, Boolean> READING = new ConcurrentHashMap<>();
    private static volatile boolean asleep;
    private static final Thread WATCHER = Thread.ofPlatform().daemon().name("medmaas-body-watchdog").start(BodyWatch::watch);

    private BodyWatch() {
    }

    /** One body being read by the current thread until {@code deadlineNanos} (a {@link System#nanoTime()} value). */
    static final class Reading implements AutoCloseable {
        private final Thread reader = Thread.currentThread();
        private final long deadlineNanos;
        private boolean over;

        private Reading(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        /** Past the deadline: interrupts the reader, unless it has finished. */
        private synchronized void expire() {
            if (!over) {
                over = true;
                reader.interrupt();
            }
        }

        /** The body is read (or failed): no interrupt comes after this, and none is left pending. */
        @Override
        public void close() {
            synchronized (this) {
                over = true;
            }
            READING.remove(this);
            Thread.interrupted(); // an interrupt that fired as the read ended must not reach later waits
        }
    }

    static Reading start(long deadlineNanos) {
        Reading r = new Reading(deadlineNanos);
        READING.put(r, Boolean.TRUE);
        if (asleep) {
            LockSupport.unpark(WATCHER);
        }
        return r;
    }

    private static void watch() {
        long lastSeen = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (!READING.isEmpty()) {
                lastSeen = now;
                for (Reading r : READING.keySet()) {
                    if (now - r.deadlineNanos >= 0) {
                        r.expire();
                        READING.remove(r);
                    }
                }
            } else if (now - lastSeen > IDLE_NANOS) {
                asleep = true;
                if (READING.isEmpty()) { // a reader that came before the flag was set is seen here
                    LockSupport.park();
                }
                asleep = false;
                lastSeen = System.nanoTime();
                continue;
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }
}
