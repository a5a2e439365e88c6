package org.medmaas.server.http;


import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.medmaas.core.error.MedmaasException;

/**
 * The static files of the API page: Swagger UI from its webjar, and the page's own script and
 * style. Only these names are served (no path is read from the request), each cached after the
 * first read.
 */
public final class DocsAssets {

    private static final String SWAGGER = "/META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> TYPES = Map.of("swagger-ui.css", "text/css", "swagger-ui-bundle.js",
            "text/javascript", "docs.js", "text/javascript", "docs.css", "text/css");
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private DocsAssets() {
    }

    public static Reply serve(String file) {
        String type = TYPES.get(file);
        if (type == null) {
            throw MedmaasException.notFound("No asset '" + file + "'.");
        }
        byte[] body = CACHE.computeIfAbsent(file, DocsAssets::read);
        return new Reply(200, type + "; charset=utf-8", body, Reply.AuditNote.NONE);
    }

    private static byte[] read(String file) {
        // The page's own files sit beside the server's other resources (org/medmaas/server/).
        String path = file.startsWith("docs.") ? "/org/medmaas/server/" + file : SWAGGER + swaggerVersion() + "/" + file;
        try (InputStream in = DocsAssets.class.getResourceAsStream(path)) {
            if (in == null) {
                throw MedmaasException.notFound("The asset '" + file + "' is missing from the server's jars.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw MedmaasException.io("Could not read the asset '" + file + "': " + e.getMessage(), e);
        }
    }

    /** The webjar's version, from its Maven metadata (so upgrading the dependency needs no code change). */
    private static String swaggerVersion() {
        try (InputStream in = DocsAssets.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
