package org.medmaas.core.serving;

/** A note on one field that did not stop the prediction; it names the field, never its value. */
public record FieldWarning(String field, String warning) {
}
