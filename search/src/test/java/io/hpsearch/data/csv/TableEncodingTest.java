package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Encodings;
import io.hpsearch.data.Examples;
import io.hpsearch.data.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableEncodingTest {
    @TempDir
    Path dir;

    /** x numeric, c categorical; the test file is the training file, so raw rows are in file order. */
    private Dataset load(String text, boolean impute) {
        Path train = CsvFiles.write(dir, "train.csv", text);
        DataSpec.Csv spec = CsvFiles.withTest(CsvFiles.spec(train), train);
        return CsvDataset.load(impute ? CsvFiles.impute(spec) : spec);
    }

    @Test
    void standardisesWithTheTrainingPartOnly() {
        Dataset data = load("x,c,y\n1,a,p\n3,a,q\n1000,b,p\n", false);
        Examples part = data.train().rows(new int[]{0, 1});

        TableEncoding encoding = (TableEncoding) data.fit(part);

        Map<String, Object> x = CsvDatasetTest.column(encoding, 0);
        assertEquals(2.0, x.get("mean"), "1000 is not in the training part");
        assertEquals(1.0, x.get("std"));
        assertEquals(InputShape.table(2), encoding.shape(), "x, and c's one category a");
        assertArrayEquals(new float[]{-1, 1, 1, 1, 998, 0}, encoding.encode(data.train()).features());
        assertArrayEquals(data.train().labels(), encoding.encode(data.train()).labels());
    }

    @Test
    void populationStandardDeviationAndConstantColumns() {
        Dataset data = load("x,k,y\n2,5,p\n4,5,q\n4,5,p\n4,5,q\n5,5,p\n5,5,q\n7,5,p\n9,5,q\n", false);

        TableEncoding encoding = (TableEncoding) data.fit(data.train());

        assertEquals(5.0, CsvDatasetTest.column(encoding, 0).get("mean"));
        assertEquals(2.0, CsvDatasetTest.column(encoding, 0).get("std"));
        assertEquals(1.0, CsvDatasetTest.column(encoding, 1).get("std"), "a constant column divides by 1");
        assertEquals(0f, encoding.encode(data.train()).features()[1]);
    }

    @Test
    void oneHotOverSortedTrainingCategoriesUnseenIsZeros() {
        Dataset data = load("c,y\nred,p\nblue,q\nred,p\ngreen,q\n", false);

        TableEncoding encoding = (TableEncoding) data.fit(data.train().rows(new int[]{0, 1, 2}));

        assertEquals(List.of("blue", "red"), CsvDatasetTest.column(encoding, 0).get("categories"));
        assertArrayEquals(new float[]{0, 1, 1, 0, 0, 1, 0, 0}, encoding.encode(data.train()).features());
    }

    @Test
    void imputesTheTrainingMeanAndAMissingCategory() {
        Dataset data = load("x,c,y\n1,a,p\nNA,?,q\n3,,p\n", true);

        TableEncoding encoding = (TableEncoding) data.fit(data.train());

        assertEquals(2.0, CsvDatasetTest.column(encoding, 0).get("mean"), "missing cells are left out of it");
        assertEquals(true, CsvDatasetTest.column(encoding, 1).get("missing_category"));
        // x standardised (NaN -> mean -> 0), then c: [a, missing].
        assertArrayEquals(new float[]{-1, 1, 0, 0, 0, 1, 1, 0, 1}, encoding.encode(data.train()).features());
    }

    @Test
    void missingCellsWithoutAMissingCategoryInTheTrainingPartAreZeros() {
        Dataset data = load("x,c,y\n1,a,p\n2,b,q\n,,p\n", true);

        TableEncoding encoding = (TableEncoding) data.fit(data.train().rows(new int[]{0, 1}));

        assertEquals(false, CsvDatasetTest.column(encoding, 1).get("missing_category"));
        float[] encoded = encoding.encode(data.train()).features();
        assertArrayEquals(new float[]{0, 0, 0}, java.util.Arrays.copyOfRange(encoded, 6, 9));
    }

    @Test
    void describeAndRestoreEncodeTheSame() {
        Dataset data = load("x,c,y\n1.1,a,p\n3.7,b,q\n-2.9,a,p\n0.3,c,q\n", true);
        TableEncoding encoding = (TableEncoding) data.fit(data.train().rows(new int[]{0, 1, 2}));

        Map<String, Object> description = encoding.describe();
        Encoding restored = Encodings.restore(description);

        assertEquals("table", description.get("kind"));
        assertEquals("y", description.get("label"));
        assertEquals(",", description.get("delimiter"));
        assertEquals(true, description.get("header"));
        assertEquals("impute", description.get("missing"));
        assertEquals(description, restored.describe());
        assertEquals(encoding.shape(), restored.shape());
        Map<?, ?> colour = (Map<?, ?>) ((List<?>) description.get("columns")).get(1);
        assertEquals(List.of("a", "b"), colour.get("categories"));
        assertTrue(!colour.containsKey("raw_values"), "a model file carries the training part's categories, never "
                + "a validation or test row's value: " + description);
        Path input = CsvFiles.write(dir, "in.csv", "c,x\nb,0.3\nz,7\n");
        assertEquals(encoding.read(input, data.classes()), restored.read(input, data.classes()));
    }

    @Test
    void restoresFromJsonText() throws Exception {
        Dataset data = load("x,c,y\n1.1,a,p\n3.7,b,q\n-2.9,a,p\n0.3,c,q\n", false);
        TableEncoding encoding = (TableEncoding) data.fit(data.train());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        Map<?, ?> parsed = json.readValue(json.writeValueAsString(encoding.describe()), Map.class);
        Encoding restored = Encodings.restore(parsed);

        Path input = CsvFiles.write(dir, "in.csv", "x,c\n0.3,c\n7,a\n");
        assertEquals(encoding.read(input, data.classes()), restored.read(input, data.classes()));
    }

    @Test
    void readEncodesLikeTheDatasetWithColumnsInAnyOrderAndTheLabel() {
        Dataset data = load("x,c,y\n1,a,p\n3,b,q\n5,a,p\n", false);
        TableEncoding encoding = (TableEncoding) data.fit(data.train());
        Path input = CsvFiles.write(dir, "in.csv", "extra,y,c,x\nzz,q,b,3\n\nzz,p,a,1\n");

        Encoding.Inputs inputs = encoding.read(input, data.classes());

        assertEquals(List.of("2", "4"), inputs.ids(), "ids are line numbers");
        assertTrue(inputs.labelled());
        assertArrayEquals(new int[]{1, 0}, inputs.examples().labels());
        Examples expected = encoding.encode(data.train().rows(new int[]{1, 0}));
        assertArrayEquals(expected.features(), inputs.examples().features());
    }

    @Test
    void readWithoutTheLabelColumnIsUnlabelled() {
        Dataset data = load("x,c,y\n1,a,p\n3,b,q\n", false);
        TableEncoding encoding = (TableEncoding) data.fit(data.train());

        Encoding.Inputs inputs = encoding.read(CsvFiles.write(dir, "in.csv", "c,x\nb,3\n"), data.classes());

        assertFalse(inputs.labelled());
        assertArrayEquals(new int[]{-1}, inputs.examples().labels());
        assertArrayEquals(new float[]{1, 0, 1}, inputs.examples().features());
    }

    @Test
    void readAnEmptyLabelLeavesOnlyItsRowUnlabelled() {
        Dataset data = load("x,y\n1,p\n3,q\n", false);
        Encoding encoding = data.fit(data.train());
        Encoding.Inputs inputs = encoding.read(CsvFiles.write(dir, "in.csv", "x,y\n1,p\n3,\n"), data.classes());

        assertTrue(inputs.labelled(), "the other rows' labels still count");
        assertArrayEquals(new int[]{0, -1}, inputs.examples().labels());

        Encoding.Inputs none = encoding.read(CsvFiles.write(dir, "none.csv", "x,y\n1,\n3,\n"), data.classes());
        assertFalse(none.labelled(), "a label column with no labels in it");
        assertArrayEquals(new int[]{-1, -1}, none.examples().labels());
    }

    @Test
    void readWithoutAHeaderUsesTheTrainingPositionsWithOrWithoutTheLabel() {
        Path train = CsvFiles.write(dir, "t.csv", "p,1,a\nq,3,b\n");
        DataSpec.Csv spec = new DataSpec.Csv(train, Optional.of(train), "0", false, ',', List.of(), 0.2, false);
        Dataset data = CsvDataset.load(spec);
        Encoding encoding = Encodings.restore(data.fit(data.train()).describe());

        Encoding.Inputs labelled = encoding.read(CsvFiles.write(dir, "a.csv", "q,3,b\n"), data.classes());
        Encoding.Inputs unlabelled = encoding.read(CsvFiles.write(dir, "b.csv", "3,b\n"), data.classes());

        assertTrue(labelled.labelled());
        assertArrayEquals(new int[]{1}, labelled.examples().labels());
        assertEquals(List.of("1"), unlabelled.ids());
        assertArrayEquals(new float[]{1, 0, 1}, labelled.examples().features());
        assertArrayEquals(labelled.examples().features(), unlabelled.examples().features());
    }

    @Test
    void readNamesMissingColumnsAndTheFile() {
        Dataset data = load("x,c,y\n1,a,p\n3,b,q\n", false);
        Path input = CsvFiles.write(dir, "in.csv", "y,z\np,1\n");

        DataException e = assertThrows(DataException.class, () -> data.fit(data.train()).read(input,
                data.classes()));

        assertEquals(input + ": the header lacks the training columns 'x', 'c'; the columns are: y, z",
                e.getMessage());
    }

    @Test
    void readRefusesAColumnNamedTwice() {
        // Columns are found by name: with two 'x' the second was silently ignored.
        Dataset data = load("x,c,y\n1,a,p\n3,b,q\n", false);
        Path input = CsvFiles.write(dir, "twice.csv", "c,x,y,x\na,1,p,9\n");

        DataException e = assertThrows(DataException.class, () -> data.fit(data.train()).read(input,
                data.classes()));

        assertEquals(input + ": the header names column 'x' twice (fields 2 and 4); column names must be unique",
                e.getMessage());
        // Repeats of names the model does not read (a spreadsheet's trailing commas) are left alone.
        Path trailing = CsvFiles.write(dir, "trailing.csv", "c,x,y,,\na,1,p,,\n");
        assertEquals(List.of("2"), data.fit(data.train()).read(trailing, data.classes()).ids());
    }

    @Test
    void readRejectsAnUnknownLabelAndBadCellsLikeTraining() {
        Dataset data = load("x,c,y\n1,a,p\n3,b,q\n", false);
        Encoding encoding = data.fit(data.train());
        Path unknown = CsvFiles.write(dir, "u.csv", "x,c,y\n1,a,p\n1,a,r\n");
        Path text = CsvFiles.write(dir, "t.csv", "x,c\n1,a\nabc,a\n");
        Path nan = CsvFiles.write(dir, "n.csv", "x,c\nNaN,a\n");
        Path missing = CsvFiles.write(dir, "m.csv", "x,c\n1,\n");

        assertEquals(unknown + ": line 3: label 'r' is not one of the classes (p, q)",
                assertThrows(DataException.class, () -> encoding.read(unknown, data.classes())).getMessage());
        assertEquals(text + ": line 3, column 'x': 'abc' is not a number (the column is numeric in the training "
                + "data)", assertThrows(DataException.class, () -> encoding.read(text, data.classes()))
                .getMessage());
        assertEquals(nan + ": line 2, column 'x': 'NaN' is NaN or infinite; numeric cells must be finite numbers "
                + "(leave the cell empty, with missing: impute, for an unknown value)",
                assertThrows(DataException.class, () -> encoding.read(nan, data.classes())).getMessage());
        assertEquals(missing + ": line 2, column 'c': the value is missing (empty cell); fill it in, or set "
                + "missing: impute to use the training mean (numbers) or a category of its own (text)",
                assertThrows(DataException.class, () -> encoding.read(missing, data.classes())).getMessage());
    }

    @Test
    void readImputesWithTheTrainingStatistics() {
        Dataset data = load("x,c,y\n1,a,p\n3,,q\n", true);
        Encoding encoding = data.fit(data.train());

        Encoding.Inputs inputs = encoding.read(CsvFiles.write(dir, "in.csv", "x,c\nNA,?\n"), data.classes());

        assertArrayEquals(new float[]{0, 0, 1}, inputs.examples().features());
    }
}
