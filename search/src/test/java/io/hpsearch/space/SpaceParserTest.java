package io.hpsearch.space;

import io.hpsearch.data.DataPaths;
import io.hpsearch.store.Objective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpaceParserTest {

    static final Path REFERENCE = Path.of("../spaces/fashion-mlp.yaml");

    @Test
    void referenceSpaceIsTheKerasTunerStudy() {
        SpaceSpec spec = SpaceParser.parse(REFERENCE);
        assertEquals("fashion-mlp", spec.name());
        assertEquals(SearchKind.RANDOM, spec.search());
        assertEquals(20, spec.maxTrials());
        assertEquals(42, spec.seed());
        assertEquals(Objective.VAL_ACCURACY, spec.objective());
        assertEquals(new TrainingSpec(10, 128, 0.2, 0, 1,
                java.util.Optional.of(new EarlyStopping(3, 0.001, Objective.VAL_LOSS)),
                java.util.Optional.empty()), spec.training());
        ModelSpec m = spec.model();
        assertEquals(ModelType.MLP, m.type());
        assertEquals(List.of("input_dropout", "hidden_layers", "optimizer", "learning_rate"),
                m.entries().stream().map(ModelSpec.Entry::key).toList());
        assertEquals(List.of(0.0, 0.1, 0.2, 0.3), m.shared("input_dropout").orElseThrow().discreteValues().orElseThrow());
        ModelSpec.Group hidden = m.groups().get(0);
        assertEquals(List.of(1, 2, 3, 4), hidden.count().discreteValues().orElseThrow());
        assertEquals(List.of("units", "dropout"), hidden.perLayer().stream().map(ModelSpec.LayerParam::key).toList());
        for (int layer = 0; layer < 4; layer++) {
            assertEquals(List.of(512, 256, 128, 64, 32),
                    hidden.perLayer().get(0).byLayer().get(layer).discreteValues().orElseThrow());
            assertEquals(List.of(0.0, 0.1, 0.2, 0.3, 0.4),
                    hidden.perLayer().get(1).byLayer().get(layer).discreteValues().orElseThrow());
        }
        assertEquals(new Param.Fixed("adam"), m.shared("optimizer").orElseThrow());
        assertEquals(List.of(0.01, 0.001), m.shared("learning_rate").orElseThrow().discreteValues().orElseThrow());
    }

    @Test
    void referenceSpaceSizeIsDepthConditional() {
        // 4 input dropouts x 2 learning rates x sum over depth d of (5 units x 5 dropouts)^d
        BigInteger expected = BigInteger.valueOf(8L * (25 + 625 + 15_625 + 390_625));
        assertEquals(expected, SpaceSize.distinctNetworks(SpaceParser.parse(REFERENCE)));
    }

    @Test
    void continuousAndLogRanges() {
        SpaceSpec spec = parse("""
                name: c
                model:
                  type: mlp
                  hidden_layers: 2
                  units: 64
                  dropout: {min: 0.1, max: 0.5}
                  learning_rate: {min: 0.0001, max: 0.1, log: true}
                """);
        Param.Range lr = (Param.Range) spec.model().shared("learning_rate").orElseThrow();
        assertTrue(lr.log());
        assertTrue(spec.model().groups().get(0).perLayer().get(1).byLayer().get(0).discreteValues().isEmpty());
        assertTrue(SpaceSize.finiteNetworks(spec).isEmpty());
        assertEquals(BigInteger.valueOf(125), SpaceSize.distinctNetworks(spec),
                "5 grid points of learning rate x 5 of dropout for each of the 2 layers");
    }

    @Test
    void aLearningRateScheduleIsSearchedLikeAnyChoice() {
        SpaceSpec spec = parse("""
                name: s
                search: grid
                model:
                  type: mlp
                  hidden_layers: 1
                  units: 64
                  learning_rate: 0.001
                  learning_rate_schedule: {choice: [constant, cosine, linear]}
                """);
        assertEquals(List.of("constant", "cosine", "linear"),
                spec.model().shared("learning_rate_schedule").orElseThrow().discreteValues().orElseThrow());
        assertEquals(BigInteger.valueOf(3), SpaceSize.distinctNetworks(spec));
        assertTrue(parse("name: d\nmodel: {type: cnn, conv_blocks: 1, filters: 8, dense_layers: 1, units: 8, "
                + "learning_rate: 0.001}\n").model().shared("learning_rate_schedule").isEmpty(),
                "left out: a constant rate, and no new column in the runs before schedules existed");
    }

    @Test
    void defaultsFillWhatTheFileLeavesOut() {
        SpaceSpec spec = parse("name: d\nmodel: {type: mlp, hidden_layers: 1, units: 32, learning_rate: 0.001}\n");
        assertEquals(SearchKind.RANDOM, spec.search());
        assertEquals(new Param.Fixed(0.0), spec.model().groups().get(0).perLayer().get(1).byLayer().get(0));
        assertEquals(new Param.Fixed("adam"), spec.model().shared("optimizer").orElseThrow());
        assertEquals(TrainingSpec.of(10, 128, 0.2, 0), spec.training());
    }

    @Test
    void everyShippedSpaceParses() throws IOException {
        try (var files = Files.list(Path.of("../spaces"))) {
            List<Path> spaces = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertTrue(spaces.size() >= 4, spaces.toString());
            for (Path space : spaces) {
                assertTrue(SpaceSize.distinctNetworks(SpaceParser.parse(space)).signum() > 0, space.toString());
            }
        }
    }

    @Test
    void theReferenceCnnIsOnePointOfTheCnnSpace() {
        SpaceSpec reference = SpaceParser.parse(Path.of("../spaces/fashion-cnn-reference.yaml"));
        SpaceSpec space = SpaceParser.parse(Path.of("../spaces/fashion-cnn.yaml"));
        assertEquals(BigInteger.ONE, SpaceSize.distinctNetworks(reference));
        java.util.Map<String, Object> point = io.hpsearch.sampler.Samplers.forSpace(reference)
                .next(List.of()).orElseThrow().asMap();
        assertEquals(256, point.get("units_1"));
        assertEquals(true, point.get("batch_norm_2"));
        assertEquals(0.3, point.get("conv_dropout_2"));
        // Every value of the reference is one the CNN space can draw for the same key.
        for (java.util.Map.Entry<String, Object> e : point.entrySet()) {
            String key = e.getKey().replaceAll("_\\d+$", "");
            Param param = space.model().shared(key).orElseGet(() -> space.model().groups().stream()
                    .filter(g -> g.key().equals(key)).map(ModelSpec.Group::count).findFirst()
                    .orElseGet(() -> space.model().groups().stream().flatMap(g -> g.perLayer().stream())
                            .filter(p -> p.key().equals(key)).findFirst().orElseThrow().byLayer().get(0)));
            assertTrue(param.discreteValues().orElseThrow().contains(e.getValue()), e.toString());
        }
    }

    @Test
    void trainingSettingsForBetterModels() {
        SpaceSpec spec = parse("""
                name: t
                training:
                  executions_per_trial: 2
                  early_stopping: {patience: 3, min_delta: 0.001, metric: val_accuracy}
                  augment: {shift: 2, horizontal_flip: true}
                model:
                  type: mlp
                  hidden_layers: 2
                  units: {per_layer: [256, {choice: [64, 128]}]}
                  batch_norm: {choice: [false, true]}
                  activation: {choice: [relu, elu]}
                  l2: {min: 0.00001, max: 0.01, log: true}
                  learning_rate: 0.001
                """);
        assertEquals(2, spec.training().executions());
        assertEquals(new EarlyStopping(3, 0.001, Objective.VAL_ACCURACY),
                spec.training().earlyStopping().orElseThrow());
        assertEquals(new TrainingSpec.Augment(2, true), spec.training().augment().orElseThrow());
        assertEquals(List.of("input_dropout", "hidden_layers", "activation", "l2", "optimizer", "learning_rate"),
                spec.model().entries().stream().map(ModelSpec.Entry::key).toList());
        ModelSpec.LayerParam units = spec.model().groups().get(0).perLayer().get(0);
        assertEquals(new Param.Fixed(256), units.byLayer().get(0));
        assertEquals(List.of(64, 128), units.byLayer().get(1).discreteValues().orElseThrow());
        assertTrue(SpaceSize.finiteNetworks(spec).isEmpty(), "l2 is continuous");
    }

    @Test
    void yamlBooleansReadAsYamlAndPythonReadThem() {
        // SnakeYAML (YAML 1.1, as PyYAML) tags yes/no/on/off as booleans; yes and on are true, not false.
        SpaceSpec spec = parse("""
                name: b
                search: tpe
                tpe: {multivariate: yes}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: 64
                  learning_rate: {min: 0.0001, max: 0.1, log: on}
                """);
        assertTrue(spec.options().tpe().multivariate());
        assertTrue(((Param.Range) spec.model().shared("learning_rate").orElseThrow()).log());
        assertFalse(parse("name: n\nsearch: tpe\ntpe: {multivariate: Off}\nmodel: {type: mlp, hidden_layers: 1, "
                + "units: 8, learning_rate: 0.01}\n").options().tpe().multivariate());
    }

    @Test
    void aPrunerMustBeAbleToStopATrialBeforeItsLastEpoch() {
        SpaceSpec spec = parse("name: h\ntraining: {epochs: 27}\npruner: {type: hyperband, min_epochs: 3}\n"
                + "model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n");
        assertEquals(Optional.empty(), spec.options().pruner().idleWith(9));
        assertEquals("pruner.min_epochs: the first rung (min_epochs) is epoch 3, not before training.epochs (3): "
                + "hyperband could never stop a trial before its last epoch; lower it or train more epochs",
                spec.options().pruner().idleWith(3).orElseThrow().toString());
        // Early stopping is never idle: with any patience it keeps each trial's best epoch, not its last.
        assertEquals(2, parse("name: p\ntraining: {epochs: 2, early_stopping: {patience: 5}}\n"
                + "model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n").training().epochs());
        // ASHA's first rung that judges counts the skipped rungs; rungs in minutes are not bounded by epochs.
        String asha = "name: a\ntraining: {epochs: 9}\npruner: {type: asha, min_epochs: 3, reduction_factor: 3, "
                + "min_early_stopping_rate: %d}\nmodel: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n";
        assertEquals(9, parse(asha.formatted(0)).training().epochs());
        SpaceException late = assertThrows(SpaceException.class, () -> parse(asha.formatted(1)));
        assertTrue(late.getMessage().contains("pruner.min_early_stopping_rate: the first rung that judges "
                + "(min_epochs x reduction_factor^min_early_stopping_rate) is epoch 9"), late.getMessage());
        assertEquals(1, parse("name: t\ntraining: {epochs: 1}\npruner: {type: asha, min_minutes: 1}\n"
                + "model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n").training().epochs());
        // A stored run's space is read as it was run, so that a run recorded before the rule can be resumed.
        String idle = "name: s\ntraining: {epochs: 3}\npruner: {type: median, warmup_epochs: 4}\n"
                + "model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n";
        assertThrows(SpaceException.class, () -> parse(idle));
        assertEquals(3, SpaceParser.parseStored(idle, "run 1's space", Path.of("")).training().epochs());
    }

    @Test
    void aMissingFileIsSaidSo(@TempDir Path dir) {
        Path missing = dir.resolve("typo.yaml");
        assertEquals(missing + ": no such file",
                assertThrows(SpaceException.class, () -> SpaceParser.parse(missing)).getMessage());
    }

    @Test
    void binaryJunkAndOversizedFilesAreRefusedWithoutParsing(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.yaml");
        Files.write(junk, new byte[]{0x7f, 'E', 'L', 'F', 0, 0, (byte) 0xff, (byte) 0xfe});
        assertTrue(assertThrows(SpaceException.class, () -> SpaceParser.parse(junk)).getMessage()
                .contains("not UTF-8"));
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "name: big\n" + "# padding\n".repeat(300_000));
        assertTrue(assertThrows(SpaceException.class, () -> SpaceParser.parse(big)).getMessage()
                .contains("must be under"));
    }

    @Test
    void everyDatasetTypeReadsItsKeysWithDefaults(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("tables"));
        Path file = Files.writeString(dir.resolve("tables/space.yaml"), """
                name: t
                dataset:
                  type: csv
                  train: data/train.csv
                  label: class
                  delimiter: ";"
                  features: [a, b]
                  missing: impute
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """);
        io.hpsearch.data.DataSpec.Csv csv = (io.hpsearch.data.DataSpec.Csv) SpaceParser.parse(file).dataset();
        assertEquals(dir.resolve("tables/data/train.csv").toAbsolutePath().normalize(), csv.train());
        assertEquals(java.util.Optional.empty(), csv.test());
        assertEquals("class", csv.label());
        assertEquals(';', csv.delimiter());
        assertEquals(List.of("a", "b"), csv.features());
        assertEquals(0.2, csv.testSplit());
        assertTrue(csv.header());
        assertTrue(csv.imputeMissing());

        io.hpsearch.data.DataSpec.Images images = (io.hpsearch.data.DataSpec.Images) SpaceParser.parse("""
                name: i
                dataset: {type: images, train: photos/train, test: photos/test, height: 32, width: 24}
                model: {type: cnn, conv_blocks: 3, filters: 8, dense_layers: 0, learning_rate: 0.01}
                """, "s.yaml", dir, DataPaths.ANY).dataset();
        assertEquals(dir.resolve("photos/test").toAbsolutePath().normalize(), images.test().orElseThrow());
        assertEquals(3, images.channels(), "RGB unless the space says channels: 1");
        assertEquals(io.hpsearch.data.InputShape.image(3, 32, 24), images.shape());

        io.hpsearch.data.DataSpec.Idx idx = (io.hpsearch.data.DataSpec.Idx) SpaceParser.parse("""
                name: x
                dataset: {type: idx, train_images: a.gz, train_labels: b.gz, test_split: 0.1, classes: [x, y]}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """, "s.yaml", dir, DataPaths.ANY).dataset();
        assertEquals(0.1, idx.testSplit());
        assertEquals(List.of("x", "y"), idx.classNames());
        assertEquals(new io.hpsearch.data.DataSpec.FashionMnist(), parse("""
                name: f
                dataset: fashion-mnist
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """).dataset());
    }

    @Test
    void dataTheModelCannotUseIsRefusedOnItsKey() {
        SpaceException cnnOnTable = assertThrows(SpaceException.class, () -> parse("""
                name: t
                dataset: {type: csv, train: t.csv, label: y}
                model: {type: cnn, conv_blocks: 1, filters: 8, dense_layers: 0, learning_rate: 0.01}
                """));
        assertEquals("test.yaml:3: model.type: a cnn needs images; dataset type csv gives table rows: use type: mlp",
                cnnOnTable.getMessage());
        SpaceException resnetOnTable = assertThrows(SpaceException.class, () -> parse("""
                name: t
                dataset: {type: csv, train: t.csv, label: y}
                model: {type: resnet, stages: 1, filters: 8, blocks_per_stage: 1, learning_rate: 0.01}
                """));
        assertEquals("test.yaml:3: model.type: a resnet needs images; dataset type csv gives table rows: use type: "
                + "mlp", resnetOnTable.getMessage());
        SpaceException tooSmall = assertThrows(SpaceException.class, () -> parse("""
                name: t
                dataset: {type: images, train: p, height: 4, width: 8, channels: 1}
                model: {type: cnn, conv_blocks: {min: 1, max: 3}, filters: 8, dense_layers: 0, learning_rate: 0.01}
                """));
        assertEquals("test.yaml:3: model.conv_blocks: up to 3 blocks halve the 4-pixel side of the images 3 times, "
                + "leaving nothing; use at most 2 or larger images", tooSmall.getMessage());
        SpaceException augmentTable = assertThrows(SpaceException.class, () -> parse("""
                name: t
                dataset: {type: csv, train: t.csv, label: y}
                training: {augment: {shift: 2}}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """));
        assertEquals("test.yaml:3: training.augment: augmentation shifts and mirrors images; dataset type csv has "
                + "table rows", augmentTable.getMessage());
        SpaceException testAndSplit = assertThrows(SpaceException.class, () -> parse("""
                name: t
                dataset: {type: csv, train: t.csv, test: u.csv, test_split: 0.3, label: y}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """));
        assertEquals("test.yaml:2: dataset.test_split: applies only without test: the test examples are given",
                testAndSplit.getMessage());
        SpaceException unknownType = assertThrows(SpaceException.class, () -> parse("""
                name: t
                dataset: {type: parquet, train: t.parquet}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """));
        assertEquals("test.yaml:2: dataset.type: unknown dataset type 'parquet'; use one of fashion-mnist, idx, csv "
                + "or images", unknownType.getMessage());
    }

    @Test
    void aPathTheDataPolicyRefusesIsAnErrorOnItsKey(@TempDir Path dir) {
        DataPaths underDir = path -> path.startsWith(dir) ? java.util.Optional.empty()
                : java.util.Optional.of("outside " + dir);
        SpaceException e = assertThrows(SpaceException.class, () -> SpaceParser.parse("""
                name: t
                dataset:
                  type: csv
                  train: ok.csv
                  test: ../../etc/passwd
                  label: y
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """, "s.yaml", dir, underDir));
        assertEquals("s.yaml:5: dataset.test: outside " + dir, e.getMessage());
    }

    private static SpaceSpec parse(String yaml) {
        return SpaceParser.parse(yaml, "test.yaml");
    }
}
