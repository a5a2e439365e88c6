package org.medmaas.data.fhir;

/**
 * A resource that could not be used: where it is (file, bundle entry or NDJSON line), what it is
 * (type and id, which are record identifiers, not clinical values) and why, with any quoted
 * content removed from the parser's message.
 */
public record FhirIssue(String file, String location, String resourceType, String resourceId, String problem) {

    @Override
    public String toString() {
        return file + " " + location + " (" + resourceType + (resourceId.isEmpty() ? "" : "/" + resourceId) + "): " + problem;
    }
}
