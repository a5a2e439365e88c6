package org.medmaas.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller: {@code perSecond} requests a second on average, bursts up to
 * {@code burst}. Zero per second means no limit. Hand-written: a few lines, where a library
 * would bring a scheduler and a cache we do not need.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }

    public RateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
    }

    /** Callers tracked at most before full buckets are forgotten (client addresses are many). */
    static final int MAX_CALLERS = 100_000;

    /** Takes a token; returns 0, or the nanoseconds until one is available (the request is then refused). */
    public long acquire(String caller) {
        return take(caller, true);
    }

    /** The nanoseconds until {@code caller} has a token (0: one is there now), without taking it. */
    public long waiting(String caller) {
        return take(caller, false);
    }

    /**
     * Takes a token even when there is none, down to one burst in debt: for failures counted after
     * the fact (failed authentications), so that concurrent ones that all passed the check before
     * any was charged are each paid for.
     */
    public void charge(String caller) {
        if (perSecond <= 0) {
            return;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(caller, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.max(-burst, Math.min(burst, b.tokens + (now - b.last) / 1e9 * perSecond) - 1);
            b.last = now;
        }
        prune(now);
    }

    private long take(String caller, boolean consume) {
        if (perSecond <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        Bucket b = consume ? buckets.computeIfAbsent(caller, k -> new Bucket(burst, now)) : buckets.get(caller);
        if (b == null) {
            return 0; // never seen: a full bucket
        }
        long wait;
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * perSecond);
            b.last = now;
            if (b.tokens >= 1) {
                if (consume) {
                    b.tokens -= 1;
                }
                wait = 0;
            } else {
                wait = (long) ((1 - b.tokens) / perSecond * 1e9);
            }
        }
        prune(now);
        return wait;
    }

    private volatile long lastPrune;

    /** At most once a second, and only past the bound: a flood of new callers pays no scan each. */
    private void prune(long now) {
        if (buckets.size() > MAX_CALLERS && now - lastPrune > 1_000_000_000L) {
            lastPrune = now;
            forgetFull(now);
        }
    }

    /** Drops the buckets that have refilled: forgetting them changes nothing, as a new bucket starts full. */
    private void forgetFull(long now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().tokens + (now - e.getValue().last) / 1e9 * perSecond >= burst;
            }
        });
        if (buckets.size() > MAX_CALLERS) {
            buckets.clear(); // all busy: bounded memory matters more than the limits of that moment
        }
    }
}
