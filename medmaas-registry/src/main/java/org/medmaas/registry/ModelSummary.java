package org.medmaas.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A registered model at a glance, for listings: how many versions it has, its latest one and its
 * aliases.
 *
 * @param name      the registered model's name
 * @param versions  how many versions it has (archived ones included)
 * @param latest    its highest-numbered version
 * @param aliases   alias → version, in the order given (the registry gives them sorted by alias)
 */
public record ModelSummary(String name, int versions, ModelVersion latest, Map<String, Integer> aliases) {
    public ModelSummary {
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    }
}
