package org.medmaas.server.management;

import org.medmaas.server.http.Call;
import org.medmaas.server.http.Gate;
import org.medmaas.server.http.Json;
import org.medmaas.server.http.Reply;
import org.medmaas.server.serving.ServedModels;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.registry.ApiKey;
import org.medmaas.registry.ApiKeys;
import org.medmaas.registry.AuditEntry;
import org.medmaas.registry.AuditQuery;
import org.medmaas.registry.AuditVerification;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.ModelSummary;
import org.medmaas.registry.ModelVersion;
import org.medmaas.registry.Role;
import org.medmaas.registry.Stage;

/**
 * The management API: models, versions, aliases, stages and cards; registering an uploaded
 * bundle; API keys; the audit log; backups. Changes to the registry are audited by the registry
 * in their own transaction, so the gate does not audit them again when they succeed.
 */
public final class ManagementApi {

    private final ModelRegistry registry;
    private final ServedModels models;
    private final Path scratch;

    public ManagementApi(ModelRegistry registry, ServedModels models, Path scratch) {
        this.registry = registry;
        this.models = models;
        this.scratch = scratch;
    }

    public Reply list(Call call) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ModelSummary model : registry.summaries()) {
            if (!call.caller().reaches(model.name())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", model.name());
            m.put("versions", model.versions());
            m.put("latest", model.latest().version());
            m.put("aliases", model.aliases());
            out.add(m);
        }
        return Reply.json(200, Json.bytes(Map.of("models", out)), Reply.AuditNote.of("model.list", ""));
    }

    public Reply show(Call call) {
        String name = call.path("name");
        List<ModelVersion> versions = registry.versions(name);
        if (versions.isEmpty()) {
            throw MedmaasException.notFound("No model '" + name + "' is registered.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("versions", versions.stream().map(v -> {
            Map<String, Object> m = json(v);
            m.put("tags", registry.tags(name, Optional.of(v.version())));
            return m;
        }).toList());
        out.put("aliases", registry.aliases(name));
        out.put("tags", registry.tags(name, Optional.empty()));
        return Reply.json(200, Json.bytes(out), Reply.AuditNote.of("model.read", name));
    }

    /**
     * Shift of the rows each loaded version of a model scored (its last window) from its training
     * data: per input PSI, test, missingness and out-of-range share, and the warnings.
     */
    public Reply shift(Call call) {
        String name = call.path("name");
        if (registry.versions(name).isEmpty()) {
            throw MedmaasException.notFound("No model '" + name + "' is registered.");
        }
        List<Map<String, Object>> versions = new ArrayList<>();
        for (ServedModels.Served served : models.loaded()) {
            if (!served.version().name().equals(name)) {
                continue;
            }
            org.medmaas.data.shift.ShiftReport report = served.shift().report();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", served.version().version());
            v.put("window_rows", report.rows());
            v.put("window_capacity", org.medmaas.data.shift.ShiftMonitor.DEFAULT_WINDOW);
            v.put("imputed_share", report.imputedShare());
            v.put("inputs", report.inputs().stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", s.input());
                m.put("kind", s.kind());
                m.put("psi", finite(s.psi()));
                m.put("band", s.band());
                m.put("test", s.test());
                m.put("statistic", finite(s.statistic()));
                m.put("p_value", finite(s.pValue()));
                m.put("training_missing_share", s.trainingMissing());
                m.put("missing_share", s.missing());
                m.put("out_of_range_share", s.outOfRange());
                return m;
            }).toList());
            v.put("unsummarized_inputs", report.unsummarized());
            v.put("warnings", report.warnings());
            versions.add(v);
        }
        return Reply.json(200, Json.bytes(Map.of("name", name, "loaded_versions", versions,
                "note", "Rows scored since each version was loaded, up to the window, published every "
                        + org.medmaas.data.shift.ShiftMonitor.PUBLISH_EVERY + " rows (none before); versions not loaded have"
                        + " scored none.")),
                Reply.AuditNote.of("model.shift.read", name));
    }

    /** JSON has no NaN: an undefined figure is null. */
    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }

    public Reply card(Call call) {
        String name = call.path("name");
        String reference = call.query("version").orElse("latest");
        return Reply.json(200, Json.bytes(registry.card(name, reference)), Reply.AuditNote.of("model.card.read", name + "@" + reference));
    }

    public Reply setCardField(Call call) {
        String name = call.path("name");
        JsonNode body = Json.object(call);
        String field = requiredText(body, "field");
        String value = requiredText(body, "value");
        registry.setCardField(name, field, value, call.caller().actor());
        return Reply.json(200, Json.bytes(registry.card(name, "latest")), Gate.ALREADY_AUDITED);
    }

    /** The body is a bundle archive (a zip written by {@code medmaas train} or {@code import}). */
    public Reply register(Call call) throws IOException {
        String name = call.path("name");
        byte[] zip = call.body();
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            throw InvalidFields.malformed("body", "must be a bundle zip (Content-Type: application/zip)");
        }
        Path upload = Files.createTempFile(scratch, ".upload-", ".zip");
        try {
            Files.write(upload, zip);
            ModelVersion v = registry.register(name, upload, call.caller().actor());
            return Reply.json(201, Json.bytes(json(v)), Gate.ALREADY_AUDITED);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /**
     * {@code {"onnx": "<base64>", "schema": {"columns": [...]}, "classes": ["neg", "pos"], "target": "…",
     * "threshold": 0.5}}: an ONNX classifier imported as a diagnosis bundle and registered as the next
     * version (as {@code medmaas import onnx} then {@code models register}; explanations need the
     * CLI's --background).
     */
    public Reply importOnnx(Call call) throws IOException {
        String name = call.path("name");
        JsonNode body = Json.object(call);
        List<InvalidFields.FieldError> errors = new ArrayList<>();
        byte[] onnx = new byte[0];
        if (!body.hasNonNull("onnx") || !body.get("onnx").isTextual()) {
            errors.add(new InvalidFields.FieldError("onnx", "is required: the .onnx file, base64-encoded"));
        } else {
            try {
                onnx = java.util.Base64.getDecoder().decode(body.get("onnx").asText());
            } catch (IllegalArgumentException e) {
                errors.add(new InvalidFields.FieldError("onnx", "is not valid base64"));
            }
        }
        if (!body.hasNonNull("schema") || !body.get("schema").isObject()) {
            errors.add(new InvalidFields.FieldError("schema", "is required: {\"columns\": [{\"name\": …, \"type\": \"numeric\"}, …]}"
                    + " naming the inputs in tensor order"));
        }
        List<String> classes = new ArrayList<>();
        if (!body.hasNonNull("classes") || !body.get("classes").isArray()) {
            errors.add(new InvalidFields.FieldError("classes", "is required: the labels in the model's output order"));
        } else {
            body.get("classes").forEach(c -> classes.add(c.asText()));
        }
        double threshold = 0.5;
        if (body.has("threshold")) {
            if (!body.get("threshold").isNumber() || body.get("threshold").asDouble() <= 0 || body.get("threshold").asDouble() >= 1) {
                errors.add(new InvalidFields.FieldError("threshold", "must be a number between 0 and 1"));
            } else {
                threshold = body.get("threshold").asDouble();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        org.medmaas.data.csv.SchemaFile schema = org.medmaas.data.csv.SchemaFile.parse(body.get("schema").toString(), "schema");
        String target = body.hasNonNull("target") ? body.get("target").asText() : "outcome";
        Path dir = Files.createTempDirectory(scratch, ".onnx-");
        try {
            Path file = dir.resolve("model.onnx");
            Files.write(file, onnx);
            org.medmaas.diagnosis.OnnxImport.importModel(file, schema, target, classes, threshold, Optional.empty(),
                    dir.resolve("bundle"));
            ModelVersion v = registry.register(name, dir.resolve("bundle"), call.caller().actor());
            return Reply.json(201, Json.bytes(json(v)), Gate.ALREADY_AUDITED);
        } finally {
            org.medmaas.core.io.Trees.deleteQuietly(dir);
        }
    }

    public Reply setAlias(Call call) {
        String name = call.path("name");
        JsonNode body = Json.object(call);
        JsonNode version = body.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new InvalidFields(List.of(new InvalidFields.FieldError("version", "must be a version number")));
        }
        registry.setAlias(name, call.path("alias"), version.asInt(), call.caller().actor());
        models.refresh();
        return Reply.json(200, Json.bytes(Map.of("name", name, "alias", call.path("alias"), "version", version.asInt())),
                Gate.ALREADY_AUDITED);
    }

    public Reply setStage(Call call) {
        String name = call.path("name");
        int version = versionParameter(call);
        Stage stage = Stage.parse(requiredText(Json.object(call), "stage"));
        ModelVersion v = registry.setStage(name, version, stage, call.caller().actor());
        models.refresh();
        return Reply.json(200, Json.bytes(json(v)), Gate.ALREADY_AUDITED);
    }

    /** {@code {"value": "…", "version": 3}}: a tag on the model, or on one version when "version" is given. */
    public Reply setTag(Call call) {
        String name = call.path("name");
        JsonNode body = Json.object(call);
        Optional<Integer> version = Optional.empty();
        if (body.has("version")) {
            if (!body.get("version").isIntegralNumber()) {
                throw new InvalidFields(List.of(new InvalidFields.FieldError("version", "must be a version number")));
            }
            version = Optional.of(body.get("version").asInt());
        }
        registry.setTag(name, version, call.path("key"), requiredText(body, "value"), call.caller().actor());
        return Reply.json(200, Json.bytes(Map.of("name", name, "tags", registry.tags(name, version))), Gate.ALREADY_AUDITED);
    }

    public Reply removeTag(Call call) {
        String name = call.path("name");
        Optional<Integer> version = call.query("version").map(v -> (int) longQuery(call, "version", 0));
        registry.removeTag(name, version, call.path("key"), call.caller().actor());
        return Reply.json(200, Json.bytes(Map.of("name", name, "tags", registry.tags(name, version))), Gate.ALREADY_AUDITED);
    }

    public Reply unload(Call call) {
        String name = call.path("name");
        int version = versionParameter(call);
        boolean was = models.unload(name, version);
        return Reply.json(200, Json.bytes(Map.of("name", name, "version", version, "unloaded", was)),
                Reply.AuditNote.of("model.unload", name + "@" + version));
    }

    public Reply createKey(Call call) {
        JsonNode body = Json.object(call);
        Role role = Role.parse(requiredText(body, "role"));
        String owner = requiredText(body, "owner");
        String pattern = body.hasNonNull("models") ? body.get("models").asText() : "*";
        Optional<Instant> expires = Optional.empty();
        if (body.hasNonNull("expires_in_days")) {
            JsonNode d = body.get("expires_in_days");
            if (!d.isIntegralNumber() || d.asInt() < 1 || d.asInt() > 3650) {
                throw new InvalidFields(List.of(new InvalidFields.FieldError("expires_in_days", "must be 1 to 3650")));
            }
            expires = Optional.of(Instant.now().plus(java.time.Duration.ofDays(d.asInt())));
        }
        ApiKeys.Created created = registry.apiKeys().create(owner, role, pattern, expires, call.caller().actor());
        Map<String, Object> out = json(created.key());
        out.put("token", created.token());
        return Reply.json(201, Json.bytes(out), Gate.ALREADY_AUDITED);
    }

    public Reply listKeys(Call call) {
        return Reply.json(200, Json.bytes(Map.of("keys", registry.apiKeys().list().stream().map(ManagementApi::json).toList())),
                Reply.AuditNote.of("key.list", ""));
    }

    public Reply revokeKey(Call call) {
        ApiKey key = registry.apiKeys().revoke(call.path("id"), call.caller().actor());
        return Reply.json(200, Json.bytes(json(key)), Gate.ALREADY_AUDITED);
    }

    public Reply audit(Call call) {
        AuditQuery query = new AuditQuery(longQuery(call, "after", 0), call.query("from").map(ManagementApi::instant),
                call.query("to").map(ManagementApi::instant), call.query("actor"), call.query("action"), call.query("resource"),
                (int) longQuery(call, "limit", 100));
        List<AuditEntry> entries = registry.auditLog().entries(query);
        List<Map<String, Object>> out = entries.stream().map(AuditEntry::fields).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("entries", out);
        page.put("next_after", entries.isEmpty() ? query.afterSeq() : entries.get(entries.size() - 1).seq());
        return Reply.json(200, Json.bytes(page), Reply.AuditNote.of("audit.read", ""));
    }

    public Reply verifyAudit(Call call) {
        AuditVerification v = registry.auditLog().verify();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("intact", v.intact());
        out.put("entries", v.entries());
        out.put("head_seq", v.headSeq());
        out.put("head_hash", v.headHash());
        out.put("problems", v.problems());
        return Reply.json(200, Json.bytes(out), Reply.AuditNote.of("audit.verify", ""));
    }

    /** A consistent backup taken while the server runs, sent as the zip {@code medmaas restore} reads. */
    public Reply backup(Call call) throws IOException {
        Path dir = Files.createTempDirectory(scratch, ".backup-");
        Path zip = dir.resolve("backup.zip");
        try {
            var summary = registry.backup(zip);
            return new Reply(200, "application/zip", Files.readAllBytes(zip), Reply.AuditNote.of("registry.backup", "")
                    .withDetails("models=" + summary.models() + " versions=" + summary.versions()));
        } finally {
            Files.deleteIfExists(zip);
            Files.deleteIfExists(dir);
        }
    }

    private static int versionParameter(Call call) {
        String text = call.path("version");
        if (!text.matches("\\d{1,9}")) {
            throw new InvalidFields(List.of(new InvalidFields.FieldError("version", "must be a version number")));
        }
        return Integer.parseInt(text);
    }

    private static long longQuery(Call call, String name, long fallback) {
        Optional<String> v = call.query(name);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!v.get().matches("\\d{1,18}")) {
            throw new InvalidFields(List.of(new InvalidFields.FieldError(name, "must be a whole number")));
        }
        return Long.parseLong(v.get());
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidFields(List.of(new InvalidFields.FieldError("from/to", "must be an ISO-8601 instant such as"
                    + " 2026-11-28T00:00:00Z")));
        }
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidFields(List.of(new InvalidFields.FieldError(field, "is required (a string)")));
        }
        return v.asText();
    }

    private static Map<String, Object> json(ModelVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("version", v.version());
        m.put("stage", v.stage().label());
        m.put("task", v.task());
        m.put("learner", v.learner());
        m.put("target", v.target());
        m.put("registered_by", v.registeredBy());
        m.put("registered_at", v.registeredAt().toString());
        m.put("bundle_sha256", v.bundleSha256());
        return m;
    }

    private static Map<String, Object> json(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("owner", k.owner());
        m.put("role", k.role().label());
        m.put("models", k.models());
        m.put("created_at", k.createdAt().toString());
        m.put("expires_at", k.expiresAt().map(Instant::toString).orElse(null));
        m.put("revoked_at", k.revokedAt().map(Instant::toString).orElse(null));
        return m;
    }
}
