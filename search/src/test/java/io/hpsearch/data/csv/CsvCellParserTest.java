package io.hpsearch.data.csv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvCellParserTest {
    private final CellParser parser = new CellParser();

    private float number(String text) {
        assertEquals(CellParser.NUMBER, parser.parse(text), text);
        return parser.value();
    }

    @Test
    void numbersAreParsedAsJavaWould() {
        String[] samples = {"0", "-0", "7", "+7", "007", "1.5", "-2.25", ".5", "3.", "1e3", "1E-3", "-1.5e+2",
            "123456789012345678901234", "0.1", "3.14159265358979", "1e-45", "2.5e-40", "123456.789e-3",
            "9007199254740993", "0.000001234567890123456789"};
        for (String s : samples) {
            assertEquals((float) Double.parseDouble(s), number(s), s);
        }
    }

    @Test
    void missingCells() {
        for (String s : new String[]{"", "NA", "N/A", "?"}) {
            assertEquals(CellParser.MISSING, parser.parse(s), s);
        }
    }

    @Test
    void nanAndInfinitiesAreNotFinite() {
        for (String s : new String[]{"NaN", "nan", "-inf", "Infinity", "+INF", "1e39", "-1e300"}) {
            assertEquals(CellParser.NOT_FINITE, parser.parse(s), s);
        }
    }

    @Test
    void textIsText() {
        for (String s : new String[]{"abc", "1a", "1e", "e5", ".", "-", "1.2.3", "1,5", "0x10", "info", "na",
            "12 34"}) {
            assertEquals(CellParser.TEXT, parser.parse(s), s);
        }
    }
}
