package org.medmaas.data.cohort;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medmaas.data.clinical.CodeSystem;

/**
 * Matches (system, code) pairs against code sets. ICD codes are compared without dots, so
 * {@code E11.9} (FHIR), {@code E119} and MIMIC's {@code 25000} style all work; {@code *} matches
 * any run of characters ({@code E11*}, or {@code 250.*0} for ICD-9 type 2 diabetes).
 */
final class CodeMatcher {

    private final Map<CodeSystem, Set<String>> exact = new EnumMap<>(CodeSystem.class);
    private final Map<CodeSystem, List<java.util.regex.Pattern>> patterns = new EnumMap<>(CodeSystem.class);

    CodeMatcher(List<CohortSpec.CodeSet> sets) {
        for (CohortSpec.CodeSet set : sets) {
            CodeSystem system = set.codeSystem();
            for (String code : set.codes()) {
                String c = normalize(system, code.trim());
                if (c.contains("*")) {
                    String regex = java.util.Arrays.stream(c.split("\\*", -1))
                            .map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining(".*"));
                    patterns.computeIfAbsent(system, k -> new ArrayList<>()).add(java.util.regex.Pattern.compile(regex));
                } else {
                    exact.computeIfAbsent(system, k -> new HashSet<>()).add(c);
                }
            }
        }
    }

    boolean matches(String systemName, String code) {
        CodeSystem system = CodeSystem.parse(systemName).orElse(CodeSystem.OTHER);
        String c = normalize(system, code);
        Set<String> e = exact.get(system);
        if (e != null && e.contains(c)) {
            return true;
        }
        List<java.util.regex.Pattern> p = patterns.get(system);
        if (p != null) {
            for (java.util.regex.Pattern pattern : p) {
                if (pattern.matcher(c).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normalize(CodeSystem system, String code) {
        return system == CodeSystem.ICD10 || system == CodeSystem.ICD9 ? code.replace(".", "") : code;
    }
}
