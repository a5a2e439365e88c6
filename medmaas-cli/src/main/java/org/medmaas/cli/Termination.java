package org.medmaas.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an orderly stop on SIGTERM and SIGINT, before the JVM's shutdown hooks. Why not a hook: the
 * hooks run all at once, in no order, and the embedded database registers its own, which closed
 * the database under the audit log's last checkpoint ("already closed"). A signal handler runs
 * first; once it has stopped the server and closed the registry, the process exits normally and
 * the database's hook finds nothing left to do.
 *
 * <p>Through reflection: {@code sun.misc.Signal} is the JDK's supported way to do this (module
 * jdk.unsupported, JEP 260), but javac warns on every use of it and the build treats warnings as
 * errors. Where it is missing, the caller falls back to a shutdown hook.
 */
final class Termination {

    private Termination() {
    }

    /**
     * Runs {@code stop} on SIGTERM or SIGINT until the returned handle is closed, which puts the
     * previous handlers back (so a JVM that served for a while, a test's, stops as before). Where
     * signals cannot be handled, the handle does nothing and the caller's shutdown hook remains.
     */
    static AutoCloseable onSignal(Runnable stop) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            stop.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "medmaas-termination";
                    });
            Method handle = signal.getMethod("handle", signal, handlerType);
            Map<Object, Object> previous = new LinkedHashMap<>();
            for (String name : List.of("TERM", "INT")) {
                Object s = signal.getConstructor(String.class).newInstance(name);
                previous.put(s, handle.invoke(null, s, handler));
            }
            return () -> {
                for (Map.Entry<Object, Object> e : previous.entrySet()) {
                    handle.invoke(null, e.getKey(), e.getValue());
                }
            };
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return () -> { };
        }
    }
}
