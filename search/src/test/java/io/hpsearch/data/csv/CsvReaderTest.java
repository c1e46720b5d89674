package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest {
    @TempDir
    Path dir;

    /** Each record as "line: field|field|...". */
    private List<String> records(String text, char delimiter) {
        Path file = CsvFiles.write(dir, "t.csv", text);
        List<String> out = new ArrayList<>();
        try (CsvReader reader = CsvReader.open(file, delimiter)) {
            while (reader.next()) {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < reader.size(); i++) {
                    fields.add(reader.text(i));
                }
                out.add(reader.line() + ": " + String.join("|", fields));
            }
        }
        return out;
    }

    @Test
    void quotedFieldsHoldDelimitersDoubledQuotesAndLineBreaks() {
        List<String> records = records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\"\"\n", ',');

        assertEquals(List.of("1: a|b|c", "2: x, y|say \"hi\"|two\nlines", "4: last||"), records);
    }

    @Test
    void crlfAndLfLineEndsAndAByteOrderMark() {
        List<String> records = records("\uFEFFa,b\r\n1,2\r\n3,4\n5,6", ',');

        assertEquals(List.of("1: a|b", "2: 1|2", "3: 3|4", "4: 5|6"), records);
    }

    @Test
    void crlfInsideQuotesCountsAsOneLine() {
        List<String> records = records("a,b\r\n\"1\r\n2\",3\r\n4,5\r\n", ',');

        assertEquals(List.of("1: a|b", "2: 1\r\n2|3", "4: 4|5"), records);
    }

    @Test
    void blankLinesAreSkippedButCounted() {
        List<String> records = records("a,b\n\n1,2\n\n\n", ',');

        assertEquals(List.of("1: a|b", "3: 1|2"), records);
    }

    @Test
    void semicolonDelimiterAndSpacesAroundFields() {
        List<String> records = records("a ; b;\" c \"\n1,5; 2 ;3\n", ';');

        assertEquals(List.of("1: a|b| c ", "2: 1,5|2|3"), records);
    }

    @Test
    void aQuotedEmptyLineIsARecord() {
        assertEquals(List.of("1: a", "2: "), records("a\n\"\"\n", ','));
    }

    @Test
    void unclosedQuoteNamesTheLineItOpensOn() {
        Path file = CsvFiles.write(dir, "q.csv", "a,b\n1,\"open\n2,3\n");
        DataException e = assertThrows(DataException.class, () -> {
            try (CsvReader reader = CsvReader.open(file, ',')) {
                while (reader.next()) {
                    reader.size();
                }
            }
        });

        assertEquals(file + ": line 2: a quoted field is never closed; every \" that opens a field needs a closing"
                + " \" (write \"\" for a quote inside it)", e.getMessage());
    }

    @Test
    void anUnclosedQuoteInALargeFileIsNamedBeforeTheHeapRunsOut() throws Exception {
        // The quote opened on line 2 is never closed: the rest of a large file would have become one field.
        byte[] rest = new byte[CsvReader.MAX_ROW + 10];
        java.util.Arrays.fill(rest, (byte) 'a');
        Path file = dir.resolve("large.csv");
        java.nio.file.Files.writeString(file, "a,b\n1,\"open\n");
        java.nio.file.Files.write(file, rest, java.nio.file.StandardOpenOption.APPEND);
        DataException e = assertThrows(DataException.class, () -> {
            try (CsvReader reader = CsvReader.open(file, ',')) {
                while (reader.next()) {
                    reader.size();
                }
            }
        });

        assertEquals(file + ": line 2: a row longer than 67,108,864 characters; a quoted field opened on it may never "
                + "be closed (every \" that opens a field needs a closing \"), or the file is not a table with a row "
                + "per line", e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByTheirLine() throws Exception {
        // A Latin-1 'é' on line 3000, some 30,000 characters in: past the reader's first block of decoding.
        StringBuilder text = new StringBuilder("a,b\n");
        for (int i = 2; i < 3000; i++) {
            text.append(i).append(",x\n");
        }
        Path file = dir.resolve("latin1.csv");
        java.nio.file.Files.write(file, (text + "1,caf\u00e9\n2,y\n").getBytes(StandardCharsets.ISO_8859_1));
        DataException e = assertThrows(DataException.class, () -> {
            try (CsvReader reader = CsvReader.open(file, ',')) {
                while (reader.next()) {
                    reader.size();
                }
            }
        });

        assertEquals(file + ": line 3000 (byte 0xe9): the file is not UTF-8 text; save it as UTF-8", e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsAnError() {
        Path file = CsvFiles.write(dir, "q.csv", "a,b\n\"x\"y,3\n");
        DataException e = assertThrows(DataException.class, () -> {
            try (CsvReader reader = CsvReader.open(file, ',')) {
                while (reader.next()) {
                    reader.size();
                }
            }
        });

        assertEquals(file + ": line 2: field 1 has text after its closing quote; quote the whole field and write "
                + "\"\" for a quote inside it", e.getMessage());
    }

    @Test
    void longFieldsAndManyFieldsGrowTheBuffers() {
        String longText = "x".repeat(100_000);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : ",").append(i);
        }
        Path file = CsvFiles.write(dir, "big.csv", longText + ",\"" + longText + "\"\n" + many + "\n");
        try (CsvReader reader = CsvReader.open(file, ',')) {
            reader.next();
            assertEquals(longText, reader.text(1));
            reader.next();
            assertEquals(300, reader.size());
            assertEquals("299", reader.text(299));
        }
    }
}
