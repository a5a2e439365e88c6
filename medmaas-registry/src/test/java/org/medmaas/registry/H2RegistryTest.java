package org.medmaas.registry;

import java.nio.file.Path;

/** The registry contract on the embedded default: an H2 file under the home. */
class H2RegistryTest extends ModelRegistryContract {

    @Override
    ModelRegistry create(Path home) {
        return ModelRegistry.embedded(home);
    }
}
