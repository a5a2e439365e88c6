package org.medmaas.data.synthea;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medmaas.core.error.MedmaasException;

/**
 * Generates a synthetic cohort with Synthea (MITRE, https://synthetichealth.github.io/synthea/),
 * offline. Synthea runs in a child JVM on its own class path (the {@code medmaas-synthea-runtime}
 * module's {@code target/lib}), because its HAPI FHIR, Jackson and Guava versions differ from
 * ours. The cohort is written to a temporary folder beside the output and moved into place only
 * when Synthea succeeds, so a failure leaves no partial cohort.
 */
public final class SyntheaGenerator {

    /** Synthea prints one line per simulated person, starting with a running number and "--". */
    private static final Pattern PERSON_LINE = Pattern.compile("^\\d+ -- .*");

    private final Path javaBinary;
    private final Path syntheaLib;

    /**
     * @param javaBinary the {@code java} to start Synthea with
     * @param syntheaLib a folder holding Synthea's jar and its dependencies
     */
    public SyntheaGenerator(Path javaBinary, Path syntheaLib) {
        this.javaBinary = Objects.requireNonNull(javaBinary, "javaBinary");
        this.syntheaLib = Objects.requireNonNull(syntheaLib, "syntheaLib");
    }

    /** The generator for this JVM's java binary and a Synthea library folder. */
    public static SyntheaGenerator forCurrentJvm(Path syntheaLib) {
        return new SyntheaGenerator(Path.of(System.getProperty("java.home"), "bin", "java"), syntheaLib);
    }

    /**
     * @param patients living patients to generate (Synthea also keeps the deceased it simulates)
     * @param seed     the population and clinician seed: the same seed gives the same cohort
     * @param fhir     also export FHIR R4 transaction bundles, one per patient
     * @param referenceDate the simulation's "today"; fixed so the same seed gives the same cohort
     *                      tomorrow too (Synthea otherwise simulates up to the wall clock)
     */
    public record Request(int patients, long seed, Path outDir, boolean fhir, java.time.LocalDate referenceDate) {

        /** The reference date used unless one is given. */
        public static final java.time.LocalDate DEFAULT_REFERENCE_DATE = java.time.LocalDate.of(2025, 1, 1);

        public Request(int patients, long seed, Path outDir, boolean fhir) {
            this(patients, seed, outDir, fhir, DEFAULT_REFERENCE_DATE);
        }

        public Request {
            Objects.requireNonNull(referenceDate, "referenceDate");
            if (patients < 1 || patients > 1_000_000) {
                throw MedmaasException.invalid("--patients must be between 1 and 1000000.");
            }
            Objects.requireNonNull(outDir, "outDir");
        }
    }

    /** What was generated. */
    public record Result(Path csvDir, java.util.Optional<Path> fhirDir, int peopleSimulated) {
    }

    /**
     * Runs Synthea. {@code onPerson} is called with the running count of simulated people (living
     * and deceased), for progress bars. Synthea's own output names (synthetic) people, so it is
     * counted but never passed on.
     */
    public Result generate(Request request, IntConsumer onPerson) {
        if (!Files.isDirectory(syntheaLib)) {
            throw MedmaasException.notFound("Synthea's libraries are not at " + syntheaLib
                    + ". Build the project first (./medmaas builds it; or ./mvnw package).");
        }
        Path out = request.outDir().toAbsolutePath();
        Path csvTarget = out.resolve("csv");
        if (Files.exists(csvTarget)) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.CONFLICT, out + " already holds a cohort (csv/)."
                    + " Choose another --out or delete it first.");
        }
        Path work;
        try {
            Files.createDirectories(out);
            work = Files.createTempDirectory(out, ".synthea-");
        } catch (IOException e) {
            throw MedmaasException.io("Could not create " + out + ": " + e.getMessage(), e);
        }
        try {
            int people = run(request, work, onPerson);
            Path csv = work.resolve("csv");
            if (!Files.isDirectory(csv)) {
                throw MedmaasException.io("Synthea finished but wrote no csv/ folder.", null);
            }
            Files.move(csv, csvTarget, StandardCopyOption.ATOMIC_MOVE);
            java.util.Optional<Path> fhirTarget = java.util.Optional.empty();
            if (request.fhir() && Files.isDirectory(work.resolve("fhir"))) {
                fhirTarget = java.util.Optional.of(out.resolve("fhir"));
                Files.move(work.resolve("fhir"), fhirTarget.get(), StandardCopyOption.ATOMIC_MOVE);
            }
            return new Result(csvTarget, fhirTarget, people);
        } catch (IOException e) {
            throw MedmaasException.io("Could not move the generated cohort into " + out + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(work);
        }
    }

    private int run(Request request, Path work, IntConsumer onPerson) {
        List<String> command = new ArrayList<>(List.of(javaBinary.toString(), "-Xmx2g",
                "-cp", syntheaLib.toAbsolutePath() + "/*", "App",
                "-p", Integer.toString(request.patients()),
                "-s", Long.toString(request.seed()),
                "-cs", Long.toString(request.seed()),
                "-r", request.referenceDate().format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE),
                "--exporter.baseDirectory=" + work,
                "--exporter.csv.export=true",
                "--exporter.fhir.export=" + request.fhir(),
                "--exporter.hospital.fhir.export=false",
                "--exporter.practitioner.fhir.export=false",
                "--exporter.metadata.export=false"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        int people = 0;
        Deque<String> tail = new ArrayDeque<>();
        try {
            Process process = builder.start();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (PERSON_LINE.matcher(line).matches()) {
                        onPerson.accept(++people);
                    } else if (!line.isBlank()) {
                        tail.addLast(line);
                        if (tail.size() > 8) {
                            tail.removeFirst();
                        }
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw MedmaasException.io("Synthea failed (exit code " + exit + "). Its last messages:\n  "
                        + String.join("\n  ", tail), null);
            }
            return people;
        } catch (IOException e) {
            throw MedmaasException.io("Could not start Synthea with " + javaBinary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MedmaasException.io("Interrupted while Synthea was running.", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        org.medmaas.core.io.Trees.deleteQuietly(dir); // best effort: a leftover hidden temporary folder is harmless
    }
}
