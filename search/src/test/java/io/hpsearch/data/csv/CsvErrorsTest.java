package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every way a CSV dataset can be unusable says so in one line naming the file, line and column. */
class CsvErrorsTest {
    @TempDir
    Path dir;

    private String error(DataSpec.Csv spec) {
        String message = assertThrows(DataException.class, () -> CsvDataset.load(spec)).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    private String error(String train) {
        return error(CsvFiles.spec(CsvFiles.write(dir, "train.csv", train)));
    }

    private String file() {
        return dir.resolve("train.csv").toString();
    }

    @Test
    void anIdentifierColumnIsNotACategory() {
        StringBuilder csv = new StringBuilder("customer_id,spend,y\n");
        for (int i = 0; i < 400; i++) {
            csv.append("C").append(100_000 + i).append(',').append(i % 17).append(',').append(i % 2 == 0 ? "a" : "b")
                    .append('\n');
        }
        assertEquals(file() + ": column 'customer_id' has 400 different values in 400 rows: an identifier or free "
                + "text, not a category; leave it out by listing the other columns in dataset.features",
                error(csv.toString()));
    }

    @Test
    void missingFile() {
        Path absent = dir.resolve("absent.csv");
        assertEquals(absent + ": no such file", error(CsvFiles.spec(absent)));
    }

    @Test
    void emptyFile() {
        assertEquals(file() + ": the file is empty; it needs a header row and data rows", error(""));
        assertEquals(file() + ": the file is empty; it needs a header row and data rows", error("\n\n"));
    }

    @Test
    void headerOnly() {
        assertEquals(file() + ": the file has a header but no data rows", error("x,y\n"));
    }

    @Test
    void raggedRow() {
        assertEquals(file() + ": line 3 has 3 fields, the header has 2; quote fields that contain the delimiter",
                error("x,y\n1,a\n2,5,b\n"));
    }

    @Test
    void raggedRowWithoutHeader() {
        Path train = CsvFiles.write(dir, "train.csv", "1,a\n2\n");
        assertEquals(file() + ": line 2 has 1 field, the first row has 2; quote fields that contain the delimiter",
                error(CsvFiles.noHeader(train, "1")));
    }

    @Test
    void labelColumnNotFound() {
        assertEquals(file() + ": label column 'y' is not in the header; the columns are: a, b, label",
                error("a,b,label\n1,2,p\n"));
    }

    @Test
    void onlyOneClass() {
        assertEquals(file() + ": every row has the label 'p' (column 'y'); a classifier needs at least 2 classes",
                error("x,y\n1,p\n2,p\n"));
    }

    @Test
    void classTooSmallToHoldOutATestSplit() {
        assertEquals(file() + ": class 'q' has 1 example; at least 2 are needed to hold out a test split "
                + "(test_split: 0.2); add examples of it, or give the test examples with test:",
                error("x,y\n1,p\n2,p\n3,q\n"));
    }

    @Test
    void textInANumericColumn() {
        StringBuilder text = new StringBuilder("age,y\n");
        for (int i = 0; i < 999; i++) {
            text.append(i == 15 ? "abc" : Integer.toString(i)).append(',').append(i % 2).append('\n');
        }
        assertEquals(file() + ": line 17, column 'age': 'abc' is not a number (the column is numeric elsewhere: "
                + "998 of 999 values are numbers)", error(text.toString()));
    }

    @Test
    void theEarliestBadCellOfAllColumnsIsNamed() {
        assertEquals(file() + ": line 4, column 'b': 'x' is not a number (the column is numeric elsewhere: 4 of 5 "
                + "values are numbers)", error("a,b,y\n1,1,p\n2,2,q\n3,x,p\noops,4,q\n5,5,p\n"));
    }

    @Test
    void nanOrInfiniteValue() {
        assertEquals(file() + ": line 3, column 'x': 'NaN' is NaN or infinite; numeric cells must be finite numbers "
                + "(leave the cell empty, with missing: impute, for an unknown value)",
                error("x,y\n1,p\nNaN,q\n2,p\n"));
        assertEquals(file() + ": line 2, column 'x': '-Infinity' is NaN or infinite; numeric cells must be finite "
                + "numbers (leave the cell empty, with missing: impute, for an unknown value)",
                error("x,y\n-Infinity,p\n1,q\n2,p\n"));
        assertEquals(file() + ": line 2, column 'x': '1e39' is beyond the range of 32-bit floats (about 3.4e38); "
                + "numeric cells must be finite numbers (leave the cell empty, with missing: impute, for an "
                + "unknown value)", error("x,y\n1e39,p\n1,q\n2,p\n"));
    }

    @Test
    void missingCellWithoutImpute() {
        assertEquals(file() + ": line 3, column 'c': the value is missing ('NA'); fill it in, or set missing: "
                + "impute to use the training mean (numbers) or a category of its own (text)",
                error("x,c,y\n1,a,p\n2,NA,q\n"));
        assertEquals(file() + ": line 2, column 'x': the value is missing (empty cell); fill it in, or set "
                + "missing: impute to use the training mean (numbers) or a category of its own (text)",
                error("x,c,y\n,a,p\n2,b,q\n"));
    }

    @Test
    void missingLabelEvenWithImpute() {
        Path train = CsvFiles.write(dir, "train.csv", "x,y\n1,p\n2,\n");
        assertEquals(file() + ": line 3: the label (column 'y') is missing; every row needs one",
                error(CsvFiles.impute(CsvFiles.spec(train))));
    }

    @Test
    void columnWithNoValues() {
        Path train = CsvFiles.write(dir, "train.csv", "x,c,y\n1,,p\n2,,q\n");
        assertEquals(file() + ": column 'c' has no values, only missing cells; leave it out with features:",
                error(CsvFiles.impute(CsvFiles.spec(train))));
    }

    @Test
    void unknownFeatureColumn() {
        Path train = CsvFiles.write(dir, "train.csv", "x,c,y\n1,a,p\n");
        assertEquals(file() + ": feature column 'z' is not in the header; the columns are: x, c, y",
                error(CsvFiles.features(CsvFiles.spec(train), "x", "z")));
    }

    @Test
    void labelAmongTheFeatures() {
        Path train = CsvFiles.write(dir, "train.csv", "x,c,y\n1,a,p\n");
        assertEquals(file() + ": features lists the label column 'y'; take it out of features",
                error(CsvFiles.features(CsvFiles.spec(train), "x", "y")));
    }

    @Test
    void labelIndexOutOfRangeWithoutHeader() {
        Path train = CsvFiles.write(dir, "train.csv", "1,a,p\n");
        assertEquals(file() + ": label column index 3 is out of range; rows have 3 fields (indices 0 to 2)",
                error(CsvFiles.noHeader(train, "3")));
        assertEquals(file() + ": label column 'y' must be a 0-based column index, since the file has no header "
                + "(header: false)", error(CsvFiles.noHeader(train, "y")));
    }

    @Test
    void duplicateHeaderName() {
        assertEquals(file() + ": the header names column 'x' twice (fields 1 and 3); column names must be unique",
                error("x,y,x\n1,p,2\n"));
    }

    @Test
    void testFileLacksAColumn() {
        Path train = CsvFiles.write(dir, "train.csv", "x,c,y\n1,a,p\n2,b,q\n");
        Path test = CsvFiles.write(dir, "test.csv", "y,x\np,1\n");
        assertEquals(test + ": column 'c' of the training file is missing; the test file needs the same columns",
                error(CsvFiles.withTest(CsvFiles.spec(train), test)));
    }

    @Test
    void testFileLabelNotAClass() {
        Path train = CsvFiles.write(dir, "train.csv", "x,y\n1,p\n2,q\n");
        Path test = CsvFiles.write(dir, "test.csv", "x,y\n1,p\n2,r\n");
        assertEquals(test + ": line 3: label 'r' is not one of the classes (p, q)",
                error(CsvFiles.withTest(CsvFiles.spec(train), test)));
    }

    @Test
    void testFileTextInANumericColumn() {
        Path train = CsvFiles.write(dir, "train.csv", "x,y\n1,p\n2,q\n");
        Path test = CsvFiles.write(dir, "test.csv", "x,y\n1,p\nlots,q\n");
        assertEquals(test + ": line 3, column 'x': 'lots' is not a number (the column is numeric in the training "
                + "file)", error(CsvFiles.withTest(CsvFiles.spec(train), test)));
    }

    @Test
    void testFileWithoutHeaderHasADifferentWidth() {
        Path train = CsvFiles.write(dir, "train.csv", "1,p\n2,q\n");
        Path test = CsvFiles.write(dir, "test.csv", "1,p,3\n");
        assertEquals(test + ": rows have 3 fields, the training file's have 2; the test file needs the same "
                + "columns", error(CsvFiles.withTest(CsvFiles.noHeader(train, "1"), test)));
    }
}
