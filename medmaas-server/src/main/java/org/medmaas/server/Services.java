package org.medmaas.server;

import java.util.List;
import org.medmaas.core.serving.Service;
import org.medmaas.diagnosis.DiagnosisService;

/**
 * The services this server serves: one line per service module (see "Adding a service" in
 * docs/architecture.md). Each gets {@code POST /api/v1/{task}/{model}/predict} and its models are
 * served by the Open Inference Protocol routes; nothing else in the server names a service.
 */
final class Services {

    private Services() {
    }

    static List<Service> all() {
        return List.of(
                new DiagnosisService());
    }
}
