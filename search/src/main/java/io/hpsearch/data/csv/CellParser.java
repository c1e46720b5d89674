package io.hpsearch.data.csv;

/**
 * Tells what a cell holds: nothing (empty, {@code NA}, {@code N/A} or {@code ?}), a finite number, NaN or an
 * infinity ({@code NaN}, {@code inf}, {@code Infinity} in any case and sign, or a number too large for a 32-bit
 * float), or text. Works on a range of characters so that a million-row file needs no string per numeric cell.
 *
 * <p>Numbers are decimal, with an optional sign, fraction and exponent ({@code -1.5e3}, {@code .5}, {@code 3.}).
 * The common short ones are converted directly (exactly, as {@link Double#parseDouble} would); the others by
 * {@link Double#parseDouble}. Values are then rounded to float, the precision networks train in.
 */
final class CellParser {
    static final int MISSING = 0;
    static final int NUMBER = 1;
    static final int NOT_FINITE = 2;
    static final int TEXT = 3;

    /** Powers of ten a double holds exactly: the fast path's scale factors. */
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private float value;

    /** The last {@link #NUMBER} parsed. */
    float value() {
        return value;
    }

    /** One of {@link #MISSING}, {@link #NUMBER} (then see {@link #value()}), {@link #NOT_FINITE}, {@link #TEXT}. */
    int parse(char[] c, int start, int end) {
        int n = end - start;
        if (n == 0 || (n == 1 && c[start] == '?')
                || (n == 2 && c[start] == 'N' && c[start + 1] == 'A')
                || (n == 3 && c[start] == 'N' && c[start + 1] == '/' && c[start + 2] == 'A')) {
            return MISSING;
        }
        int kind = number(c, start, end);
        if (kind == NUMBER && Float.isInfinite(value)) {
            return NOT_FINITE;
        }
        return kind;
    }

    int parse(String text) {
        return parse(text.toCharArray(), 0, text.length());
    }

    private int number(char[] c, int start, int end) {
        int i = start;
        boolean negative = false;
        if (c[i] == '+' || c[i] == '-') {
            negative = c[i] == '-';
            i++;
        }
        if (i < end && (c[i] == 'n' || c[i] == 'N' || c[i] == 'i' || c[i] == 'I')) {
            return nonFiniteWord(c, i, end) ? NOT_FINITE : TEXT;
        }
        long mantissa = 0;
        int digits = 0;
        int significant = 0;
        int scale = 0;
        boolean dot = false;
        for (; i < end; i++) {
            char ch = c[i];
            if (ch >= '0' && ch <= '9') {
                digits++;
                if (significant > 0 || ch != '0') {
                    significant++;
                }
                if (significant <= 18) {
                    mantissa = mantissa * 10 + (ch - '0');
                    if (dot) {
                        scale--;
                    }
                } else if (!dot) {
                    scale++;
                }
            } else if (ch == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return TEXT;
        }
        int exponent = 0;
        if (i < end && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (c[i] == '+' || c[i] == '-')) {
                negativeExponent = c[i] == '-';
                i++;
            }
            int exponentDigits = 0;
            for (; i < end && c[i] >= '0' && c[i] <= '9'; i++) {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c[i] - '0');
                }
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return TEXT;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i != end) {
            return TEXT;
        }
        int power = scale + exponent;
        double d;
        if (significant <= 15 && power >= -22 && power <= 22) {
            // Both factors are exact doubles, so one multiplication or division rounds correctly (Clinger).
            d = power >= 0 ? mantissa * POWERS[power] : mantissa / POWERS[-power];
            d = negative ? -d : d;
        } else {
            d = Double.parseDouble(new String(c, start, end - start));
        }
        value = (float) d;
        return NUMBER;
    }

    private static boolean nonFiniteWord(char[] c, int start, int end) {
        String word = new String(c, start, end - start).toLowerCase(java.util.Locale.ROOT);
        return word.equals("nan") || word.equals("inf") || word.equals("infinity");
    }
}
