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

    /** Takes a token; returns 0, or the nanoseconds until one is available (the request is then refused). */
    public long acquire(String caller) {
        if (perSecond <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(caller, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * perSecond);
            b.last = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return (long) ((1 - b.tokens) / perSecond * 1e9);
        }
    }
}
