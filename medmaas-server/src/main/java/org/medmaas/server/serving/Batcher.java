package org.medmaas.server.serving;

import org.medmaas.server.http.Deadline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.table.Table;

/**
 * Dynamic batching for one loaded model, as Triton does it: requests that arrive while the model
 * is busy are scored together in one call, up to {@code maxRows} rows. With a queue delay of zero
 * (the default) a lone request never waits; under load, batches form by themselves. With a delay,
 * the batcher waits up to that long for more requests before it scores.
 *
 * <p>Requests are validated before they are queued, so a batch holds only rows that fit.
 */
public final class Batcher implements AutoCloseable {

    private record Job(Table rows, CompletableFuture<List<Prediction>> done) {
    }

    private final ServedModel model;
    private final int maxRows;
    private final long maxDelayNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    public Batcher(ServedModel model, String label, int maxRows, long maxDelayMicros, IntConsumer batchSizes) {
        this.model = model;
        this.maxRows = maxRows;
        this.maxDelayNanos = maxDelayMicros * 1000;
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::loop, "medmaas-batcher-" + label);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Scores validated rows in the next batch; blocks until its predictions are ready, or until the
     * deadline, when the job is withdrawn (a batch already scoring it finishes, and the result is
     * dropped).
     */
    public List<Prediction> predict(Table rows, Deadline deadline) {
        if (closed) {
            throw new MedmaasException(ErrorCode.IO, "The model is being unloaded; retry.");
        }
        Job job = new Job(rows, new CompletableFuture<>());
        queue.add(job);
        try {
            return job.done().get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            queue.remove(job);
            job.done().cancel(false);
            throw deadline.expired("waiting for a batch");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MedmaasException(ErrorCode.IO, "Interrupted while waiting for the model.", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof MedmaasException m ? m
                    : new MedmaasException(ErrorCode.INTERNAL, "The model failed: " + e.getCause(), e.getCause());
        }
    }

    private void loop() {
        List<Job> batch = new ArrayList<>();
        while (!closed) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || first.done().isDone()) {
                    continue; // nothing queued, or a job withdrawn at its deadline
                }
                batch.add(first);
                int rows = first.rows().rowCount();
                long deadline = System.nanoTime() + maxDelayNanos;
                while (rows < maxRows) {
                    Job next = queue.peek();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
                            break;
                        }
                    } else {
                        queue.poll();
                    }
                    if (next.done().isDone()) {
                        continue;
                    }
                    if (rows + next.rows().rowCount() > maxRows && rows > 0) {
                        score(batch);
                        batch.clear();
                        rows = 0;
                    }
                    batch.add(next);
                    rows += next.rows().rowCount();
                }
                score(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        queue.forEach(j -> j.done().completeExceptionally(new MedmaasException(ErrorCode.IO, "The model was unloaded; retry.")));
    }

    private void score(List<Job> batch) {
        try {
            Table all = batch.get(0).rows();
            for (int i = 1; i < batch.size(); i++) {
                all = all.concat(batch.get(i).rows());
            }
            batchSizes.accept(all.rowCount());
            List<? extends Prediction> predictions = model.predict(all, 0);
            int offset = 0;
            for (Job job : batch) {
                int n = job.rows().rowCount();
                List<Prediction> mine = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    mine.add(predictions.get(offset + i).numbered(i + 1));
                }
                offset += n;
                job.done().complete(mine);
            }
        } catch (RuntimeException e) {
            batch.forEach(j -> j.done().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
