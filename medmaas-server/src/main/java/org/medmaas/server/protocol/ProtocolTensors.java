package org.medmaas.server.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.serving.InputField;

/**
 * How a model's inputs look as Open Inference Protocol tensors: numbers as FP64, booleans as BOOL,
 * categories and dates as BYTES, one tensor per input. The server's metadata and validation use
 * it, and so do clients in this code base that build requests (the quickstart's printed curl).
 */
public final class ProtocolTensors {

    private ProtocolTensors() {
    }

    /** The datatype the server announces for an input (it also accepts other numeric types for numbers). */
    public static String datatype(InputField f) {
        return switch (ColumnType.fromLabel(f.type())) {
            case NUMERIC -> "FP64";
            case BOOLEAN -> "BOOL";
            default -> "BYTES";
        };
    }

    /** An infer request body for one record: {@code {"inputs": [{name, shape: [1], datatype, data: [value]}, …]}}. */
    public static Map<String, Object> inferRequest(List<InputField> inputs, Map<String, Object> record) {
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (InputField f : inputs) {
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", f.name());
            tensor.put("shape", List.of(1));
            tensor.put("datatype", datatype(f));
            tensor.put("data", Collections.singletonList(record.get(f.name())));
            tensors.add(tensor);
        }
        return Map.of("inputs", tensors);
    }
}
