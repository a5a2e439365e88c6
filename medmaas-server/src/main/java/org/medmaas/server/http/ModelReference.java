package org.medmaas.server.http;


/**
 * A model as a request names it: {@code name} or {@code name@reference}, where the reference is a
 * version number, an alias or {@code latest} (empty: the server's default, see {@code ServedModels}).
 */
public record ModelReference(String name, String reference) {

    public static ModelReference parse(String modelPath) {
        int at = modelPath.indexOf('@');
        return at < 0 ? new ModelReference(modelPath, "") : new ModelReference(modelPath.substring(0, at), modelPath.substring(at + 1));
    }
}
