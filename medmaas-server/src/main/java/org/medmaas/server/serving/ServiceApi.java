package org.medmaas.server.serving;

import org.medmaas.server.http.Call;
import org.medmaas.server.http.Deadline;
import org.medmaas.server.http.Json;
import org.medmaas.server.http.ModelReference;
import org.medmaas.server.http.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.io.Digests;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.serving.Service;

/**
 * {@code POST /api/v1/{task}/{model}/predict} for any registered {@link Service}: the service
 * reads its own request body into rows; scoring, batching, deadlines, the answer's envelope and
 * the audit note are the same for every service. Nothing here names a service.
 */
public final class ServiceApi {

    private final Service service;
    private final Predictor predictor;

    public ServiceApi(Service service, Predictor predictor) {
        this.service = service;
        this.predictor = predictor;
    }

    public String task() {
        return service.task();
    }

    public Reply predict(Call call, String modelPath, String reference) {
        Json.requireJson(call);
        return predict(call.body(), call.deadline(), modelPath, reference);
    }

    /** The route's work once the body is known to be declared JSON (what the serving benchmark measures in-process). */
    public Reply predict(byte[] requestBody, Deadline deadline, String modelPath, String reference) {
        ModelReference named = ModelReference.parse(modelPath);
        String ref = reference.isEmpty() ? named.reference() : reference;
        JsonNode body = Json.object(requestBody);
        ServedModels.Served served = predictor.model(named.name(), ref);
        if (!served.model().task().equals(service.task())) {
            throw MedmaasException.invalid("'" + named.name() + "' is a " + served.model().task() + " model; this route serves "
                    + service.task() + " models (use /api/v1/" + served.model().task() + "/" + named.name() + "/predict).");
        }
        Service.Request request = service.read(body, served.model());
        List<? extends Prediction> predictions = predictor.predict(served, request.rows(), request.explain(), deadline);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", named.name());
        out.put("version", served.version().version());
        List<Map<String, Object>> answers = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            answers.add(service.answer(p, request));
        }
        out.put("predictions", answers);
        if (!request.warnings().isEmpty()) {
            out.put("warnings", request.warnings().stream().map(w -> Map.of("field", w.field(), "warning", w.warning())).toList());
        }
        int rows = request.rows().rowCount();
        String units = request.unit().equals(request.rowUnit()) ? request.unit() + "=" + rows
                : request.unit() + "=" + predictions.size() + " " + request.rowUnit() + "=" + rows;
        return Reply.json(200, Json.bytes(out), new Reply.AuditNote("predict", served.label(), Digests.sha256(requestBody),
                units + (request.explain() > 0 ? " explain=" + request.explain() : "")));
    }
}
