package org.medmaas.treatment;

import org.medmaas.diagnosis.DiagnosisService;

/**
 * A deliberate violation, for ArchitectureTest only: a class in a (future) service module that
 * reaches into another service. The architecture rules must refuse it.
 */
public final class ArchitectureViolationFixture {

    private ArchitectureViolationFixture() {
    }

    public static String borrowedTask() {
        return new DiagnosisService().task();
    }
}
