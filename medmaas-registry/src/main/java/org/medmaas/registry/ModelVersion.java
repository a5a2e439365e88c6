package org.medmaas.registry;

import java.time.Instant;

/**
 * One registered, immutable version of a model.
 *
 * @param name          the registered model's name
 * @param version       1, 2, … in order of registration
 * @param bundleSha256  the stored bundle archive's SHA-256 (its artifact key)
 * @param task          the service ("diagnosis", …)
 * @param learner       the learner's short name
 * @param target        the outcome it predicts
 * @param stage         where it is in its lifecycle
 * @param registeredBy  who registered it
 * @param registeredAt  when
 */
public record ModelVersion(String name, int version, String bundleSha256, String task, String learner, String target,
        Stage stage, String registeredBy, Instant registeredAt) {
}
