package org.medmaas.server.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the server tells Prometheus: requests by route and status, their latency, predictions and
 * errors per model and version, dynamic batch sizes, loaded models and the JVM. Labels carry
 * route templates and model names, never request values.
 */
public final class ServerMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Counter predictions;
    private final Histogram predictionLatency;
    private final Histogram batchRows;
    public final Gauge loadedModels;
    private final Gauge inputPsi;
    private final Gauge inputMissing;
    private final Gauge inputOutOfRange;
    private final Gauge imputedShare;
    private final Gauge windowRows;

    public ServerMetrics() {
        requests = Counter.builder().name("medmaas_http_requests_total").help("HTTP requests by route template, method and status.")
                .labelNames("route", "method", "status").register(registry);
        latency = Histogram.builder().name("medmaas_http_request_duration_seconds")
                .help("HTTP request latency by route template, including authentication and the audit commit.")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .labelNames("route", "method").register(registry);
        predictions = Counter.builder().name("medmaas_predictions_total")
                .help("Prediction requests per model, version and outcome (ok or the error kind).")
                .labelNames("model", "version", "outcome").register(registry);
        predictionLatency = Histogram.builder().name("medmaas_prediction_duration_seconds")
                .help("Prediction latency per model and version.")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .labelNames("model", "version").register(registry);
        batchRows = Histogram.builder().name("medmaas_batch_rows").help("Rows per dynamically formed batch.")
                .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .labelNames("model").register(registry);
        loadedModels = Gauge.builder().name("medmaas_loaded_models").help("Model versions loaded in memory.").register(registry);
        inputPsi = Gauge.builder().name("medmaas_input_psi")
                .help("Population stability index of an input over the version's recent scored rows against its training data.")
                .labelNames("model", "version", "input").register(registry);
        inputMissing = Gauge.builder().name("medmaas_input_missing_share")
                .help("Share of the recent scored rows where an input was missing (imputed).")
                .labelNames("model", "version", "input").register(registry);
        inputOutOfRange = Gauge.builder().name("medmaas_input_out_of_range_share")
                .help("Share of an input's recent present values outside its training range or levels.")
                .labelNames("model", "version", "input").register(registry);
        imputedShare = Gauge.builder().name("medmaas_inputs_imputed_share")
                .help("Share of all input values of the recent scored rows that were missing (imputed).")
                .labelNames("model", "version").register(registry);
        windowRows = Gauge.builder().name("medmaas_shift_window_rows")
                .help("Scored rows the shift figures rest on (the window's fill).").labelNames("model", "version").register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Counts the access log's dropped lines (written after close, or behind a writer stuck for a second). */
    public void watch(AccessLog access) {
        CounterWithCallback.builder().name("medmaas_access_log_dropped_lines_total")
                .help("Access log lines not written: logged after the server stopped, or while its writer was stuck.")
                .callback(c -> c.call(access.dropped())).register(registry);
    }

    public void request(String route, String method, int status, long nanos) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route, method).observe(nanos / 1e9);
    }

    public void prediction(String model, String version, String outcome, long nanos) {
        predictions.labelValues(model, version, outcome).inc();
        if (outcome.equals("ok")) {
            predictionLatency.labelValues(model, version).observe(nanos / 1e9);
        }
    }

    public void batch(String model, int rows) {
        batchRows.labelValues(model).observe(rows);
    }

    /** Sets a loaded version's shift gauges (called before each scrape; PSI absent until a value was present). */
    public void shift(String model, String version, org.medmaas.data.shift.ShiftReport report) {
        windowRows.labelValues(model, version).set(report.rows());
        imputedShare.labelValues(model, version).set(report.imputedShare());
        for (org.medmaas.data.shift.InputShift s : report.inputs()) {
            if (!Double.isNaN(s.psi())) {
                inputPsi.labelValues(model, version, s.input()).set(s.psi());
            }
            inputMissing.labelValues(model, version, s.input()).set(s.missing());
            inputOutOfRange.labelValues(model, version, s.input()).set(s.outOfRange());
        }
    }

    /** Forgets every version's shift gauges (so that unloaded versions drop out of the next scrape). */
    public void clearShift() {
        for (Gauge g : List.of(inputPsi, inputMissing, inputOutOfRange, imputedShare, windowRows)) {
            g.clear();
        }
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
