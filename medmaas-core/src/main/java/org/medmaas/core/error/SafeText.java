package org.medmaas.core.error;

/**
 * The single policy on what a message may reveal about a cell: never its content. Every cell of
 * a clinical table is a patient value, so messages describe only a value's shape (length and the
 * kinds of characters in it), which is enough to spot a decimal comma or a stray unit without
 * showing the value itself.
 */
public final class SafeText {

    private SafeText() {
    }

    /** A content-free description of a cell, such as {@code "5 characters: digits, ','"}. */
    public static String describeShape(String value) {
        boolean digits = false;
        boolean letters = false;
        boolean spaces = false;
        StringBuilder punctuation = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isDigit(c)) {
                digits = true;
            } else if (Character.isLetter(c)) {
                letters = true;
            } else if (Character.isWhitespace(c)) {
                spaces = true;
            } else if (punctuation.indexOf(String.valueOf(c)) < 0 && punctuation.length() < 12
                    && c >= 0x20 && c < 0x7f) {
                punctuation.append(c);
            }
        }
        StringBuilder out = new StringBuilder().append(value.length()).append(" characters");
        String sep = ": ";
        if (digits) {
            out.append(sep).append("digits");
            sep = ", ";
        }
        if (letters) {
            out.append(sep).append("letters");
            sep = ", ";
        }
        if (spaces) {
            out.append(sep).append("spaces");
            sep = ", ";
        }
        for (int i = 0; i < punctuation.length(); i++) {
            out.append(sep).append('\'').append(punctuation.charAt(i)).append('\'');
            sep = ", ";
        }
        return out.toString();
    }
}
