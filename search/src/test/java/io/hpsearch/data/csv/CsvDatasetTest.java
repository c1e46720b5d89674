package io.hpsearch.data.csv;

import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Examples;
import io.hpsearch.data.Hashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsNumbersAndCategoriesWithATestFile() {
        Path train = CsvFiles.write(dir, "train.csv", "age,colour,y\n30,red,b\n40,\"blue, dark\",a\n50,red,b\n");
        Path test = CsvFiles.write(dir, "test.csv", "y,colour,age\na,green,60\n");

        Dataset data = CsvDataset.load(CsvFiles.withTest(CsvFiles.spec(train), test));

        assertEquals("csv", data.type());
        assertEquals(List.of("a", "b"), data.classes());
        assertEquals(List.of("age", "colour"), data.features());
        // Raw rows: the number, then the category's index in order of first appearance (red 0, blue 1, green 2).
        assertArrayEquals(new float[]{30, 0, 40, 1, 50, 0}, data.train().features());
        assertArrayEquals(new int[]{1, 0, 1}, data.train().labels());
        assertArrayEquals(new float[]{60, 2}, data.test().features());
        assertArrayEquals(new int[]{0}, data.test().labels());
        assertEquals(List.of(new Dataset.DataFile("train", train.toString(), Hashes.sha256(train)),
                new Dataset.DataFile("test", test.toString(), Hashes.sha256(test))), data.files());
    }

    @Test
    void noHeaderWithAnIndexLabelAndSemicolons() {
        Path train = CsvFiles.write(dir, "t.csv", "1.5;x;0\r\n2.5;y;1\r\n3.5;x;1\r\n4.5;y;0\r\n");
        DataSpec.Csv spec = new DataSpec.Csv(train, Optional.of(train), "2", false, ';', List.of(), 0.2, false);

        Dataset data = CsvDataset.load(spec);

        assertEquals(List.of("0", "1"), data.features());
        assertEquals(List.of("0", "1"), data.classes());
        assertArrayEquals(new float[]{1.5f, 0, 2.5f, 1, 3.5f, 0, 4.5f, 1}, data.train().features());
        assertArrayEquals(new int[]{0, 1, 1, 0}, data.train().labels());
    }

    @Test
    void featuresChooseAndOrderColumns() {
        Path train = CsvFiles.write(dir, "t.csv", "a,b,c,y\n1,2,3,p\n4,5,6,q\n");
        Dataset data = CsvDataset.load(CsvFiles.withTest(CsvFiles.features(CsvFiles.spec(train), "c", "a"),
                train));

        assertEquals(List.of("c", "a"), data.features());
        assertArrayEquals(new float[]{3, 1, 6, 4}, data.train().features());
    }

    @Test
    void aColumnMostlyOfTextIsCategoricalEvenWithNumbersInIt() {
        Path train = CsvFiles.write(dir, "t.csv", "code,y\n1,p\nA7,q\nB2,p\n");
        Dataset data = CsvDataset.load(CsvFiles.withTest(CsvFiles.spec(train), train));

        TableEncoding encoding = (TableEncoding) data.fit(data.train());

        assertEquals(3, encoding.shape().features());
        assertEquals(List.of("1", "A7", "B2"), column(encoding, 0).get("categories"));
    }

    @Test
    void halfNumbersIsCategorical() {
        Path train = CsvFiles.write(dir, "t.csv", "code,y\n1,p\nA,q\n");
        Dataset data = CsvDataset.load(CsvFiles.withTest(CsvFiles.spec(train), train));

        assertEquals("categorical", column((TableEncoding) data.fit(data.train()), 0).get("type"));
    }

    @Test
    void integerLabelsSortNumerically() {
        Path train = CsvFiles.write(dir, "t.csv", "x,y\n1,10\n2,2\n3,10\n4,2\n5,-1\n");
        Dataset data = CsvDataset.load(CsvFiles.withTest(CsvFiles.spec(train), train));

        assertEquals(List.of("-1", "2", "10"), data.classes());
        assertArrayEquals(new int[]{2, 1, 2, 1, 0}, data.train().labels());
    }

    @Test
    void textLabelsSortAsText() {
        Path train = CsvFiles.write(dir, "t.csv", "x,y\n1,10\n2,2\n3,b\n");
        Dataset data = CsvDataset.load(CsvFiles.withTest(CsvFiles.spec(train), train));

        assertEquals(List.of("10", "2", "b"), data.classes());
    }

    @Test
    void heldOutTestSplitIsStratifiedAndTheSameEveryTime() {
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < 100; i++) {
            text.append(i).append(',').append(i < 80 ? "common" : "rare").append('\n');
        }
        Path train = CsvFiles.write(dir, "t.csv", text.toString());

        Dataset first = CsvDataset.load(CsvFiles.spec(train));
        Dataset second = CsvDataset.load(CsvFiles.spec(train));

        assertEquals(80, first.train().size());
        assertEquals(20, first.test().size());
        assertArrayEquals(new int[]{16, 4}, first.test().classCounts(2));
        assertArrayEquals(new int[]{64, 16}, first.train().classCounts(2));
        assertEquals(first.test(), second.test());
        assertEquals(first.train(), second.train());
        assertNotEquals(first.test().features()[0] + 1, first.test().features()[1], "rows are shuffled");
    }

    @Test
    void imputedMissingCellsAreNaNOrMinusOneInRawRows() {
        Path train = CsvFiles.write(dir, "t.csv", "x,c,y\n1,a,p\nNA,?,q\n,,p\n");
        Dataset data = CsvDataset.load(CsvFiles.impute(CsvFiles.withTest(CsvFiles.spec(train), train)));

        float[] x = data.train().features();
        assertEquals(1f, x[0]);
        assertTrue(Float.isNaN(x[2]) && Float.isNaN(x[4]));
        assertEquals(-1f, x[3]);
        assertEquals(-1f, x[5]);
    }

    @Test
    void aMillionCellsStayFloats() {
        Path train = CsvFiles.write(dir, "t.csv", CsvFiles.table(10_000));
        Dataset data = CsvDataset.load(CsvFiles.spec(train));

        Examples all = data.train();
        assertEquals(8000, all.size());
        assertEquals(2000, data.test().size());
        assertEquals(2, all.featureCount());
    }

    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> column(TableEncoding encoding, int c) {
        return ((List<java.util.Map<String, Object>>) encoding.describe().get("columns")).get(c);
    }
}
