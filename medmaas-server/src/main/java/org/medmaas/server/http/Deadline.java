package org.medmaas.server.http;

import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * When a request must be answered by. Work that can take long (waiting in a batch queue, loading
 * a model, explaining many rows) checks it between steps and stops with {@link ErrorCode#TIMEOUT};
 * the gate answers 503 and audits the outcome {@code timeout}. Scoring one chunk of rows is never
 * cut short: a model call is not interruptible, so a chunk's work finishes before the check.
 */
public record Deadline(long atNanos, long budgetMillis) {

    public static Deadline after(long millis) {
        return new Deadline(System.nanoTime() + millis * 1_000_000L, millis);
    }

    public long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    /** Stops the request if its time is up, saying what it was doing. */
    public void check(String doing) {
        if (remainingNanos() <= 0) {
            throw expired(doing);
        }
    }

    public MedmaasException expired(String doing) {
        return new MedmaasException(ErrorCode.TIMEOUT, "The request took longer than its " + budgetMillis + " ms limit ("
                + doing + "); retry later, or send fewer records or ask for fewer explanations.");
    }
}
