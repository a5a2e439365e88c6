package org.medmaas.server;

import java.nio.file.Path;
import org.medmaas.registry.ModelRegistry;

/**
 * A server in its own process for {@link CrashTest}, which kills it with SIGKILL. Arguments: the
 * registry home and the port. Prints "listening" once it accepts connections.
 */
public final class CrashTestServer {

    private CrashTestServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path home = Path.of(args[0]);
        ModelRegistry registry = ModelRegistry.embedded(home);
        MedmaasServer server = new MedmaasServer(registry, ServerSettings.defaults().withPort(Integer.parseInt(args[1])), home)
                .start();
        System.out.println("listening " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
