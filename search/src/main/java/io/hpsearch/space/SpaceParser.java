package io.hpsearch.space;

import io.hpsearch.data.DataPaths;
import io.hpsearch.data.DataSpec;
import io.hpsearch.store.Objective;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * Reads a space YAML file into a validated {@link SpaceSpec}. Every problem is a {@link SpaceException} naming the
 * file, line and key, raised before anything is run or stored.
 */
public final class SpaceParser {
    /** The most {@code max_trials}, {@code training.epochs} and {@code training.train_limit} a space may give. */
    public static final int MAX_TRIALS = 1_000_000;
    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_TRAIN_LIMIT = 100_000_000;

    /** Space files are a page of YAML; anything far larger is a mistake, not a space. */
    public static final int MAX_BYTES = 1 << 20;
    /** Grid searches larger than this are a typo, not a plan (a million 1-epoch trials is weeks of CPU). */
    public static final long MAX_GRID_POINTS = 1_000_000;

    private static final double DEFAULT_VALIDATION_SPLIT = 0.2;

    private final String source;
    /** Relative data paths are resolved against it. */
    private final Path baseDir;
    private final DataPaths dataPaths;
    /**
     * Whether a pruner that could never stop a trial early is refused here: not for a stored run's space (rules added
     * since it was recorded must not make it unreadable) nor for one run with other epochs (its caller checks).
     */
    private final boolean checkIdle;

    private SpaceParser(String source, Path baseDir, DataPaths dataPaths, boolean checkIdle) {
        this.source = source;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.dataPaths = dataPaths;
        this.checkIdle = checkIdle;
    }

    /**
     * Reads and validates a space file; the file's path is used in messages as given, and relative data paths are
     * resolved against the file's folder.
     */
    public static SpaceSpec parse(Path file) {
        return parse(file, true);
    }

    /**
     * As {@link #parse(Path)}, for a run that trains other epochs than the file's (run --epochs): whether a pruner
     * could stop a trial early depends on those, so the caller checks {@link IdleRule}s against them.
     */
    public static SpaceSpec parseWithOtherEpochs(Path file) {
        return parse(file, false);
    }

    private static SpaceSpec parse(Path file, boolean checkIdle) {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new SpaceException(source, 0, "", "the file is " + Files.size(file)
                        + " bytes; a space file must be under " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SpaceException(source, 0, "", "no such file");
        } catch (IOException e) {
            throw new SpaceException(source, 0, "", "cannot read the file (" + e.getMessage() + ")");
        }
        return parse(decode(bytes, source), source, file.toAbsolutePath().getParent(), DataPaths.ANY, checkIdle);
    }

    /** Validates space YAML as bytes (a file's, a request body's): they must be UTF-8 text. */
    public static SpaceSpec parse(byte[] bytes, String source) {
        return parse(decode(bytes, source), source);
    }

    /** The text of space YAML bytes, refused unless they are UTF-8. */
    public static String decode(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SpaceException(source, 0, "", "the file is not UTF-8 text (is it a YAML file?)");
        }
    }

    /**
     * Validates space YAML text; {@code source} names it in messages (a file path, or e.g. "request body").
     * Relative data paths are resolved against the working directory.
     */
    public static SpaceSpec parse(String yaml, String source) {
        return parse(yaml, source, Path.of(""), DataPaths.ANY);
    }

    /**
     * Validates space YAML text whose relative data paths mean paths under {@code baseDir}; a data path that
     * {@code dataPaths} refuses is an error on its key, and nothing is read.
     */
    public static SpaceSpec parse(String yaml, String source, Path baseDir, DataPaths dataPaths) {
        return parse(yaml, source, baseDir, dataPaths, true);
    }

    /**
     * A space as a run stored it, to resume or join the run: checked as a new one, except that a pruner that could
     * never stop a trial early ({@link IdleRule}, refused for new runs since) is taken as it was run, so that a run
     * recorded before that rule stays resumable.
     */
    public static SpaceSpec parseStored(String yaml, String source, Path baseDir) {
        return parse(yaml, source, baseDir, DataPaths.ANY, false);
    }

    private static SpaceSpec parse(String yaml, String source, Path baseDir, DataPaths dataPaths,
                                   boolean checkIdle) {
        if (yaml.length() > MAX_BYTES) {
            throw new SpaceException(source, 0, "", "the space is " + yaml.length()
                    + " characters long; a space must be under " + MAX_BYTES);
        }
        return new SpaceParser(source, baseDir, dataPaths, checkIdle).document(compose(yaml, source));
    }

    private static Node compose(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_BYTES);
        try {
            if (yaml.indexOf('\0') >= 0) {
                throw new SpaceException(source, 0, "", "the file holds binary data, not YAML text");
            }
            Node root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
            if (root == null) {
                throw new SpaceException(source, 0, "", "the file is empty; see spaces/fashion-mlp.yaml for an example");
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null && e.getContextMark() != null && e.getContextMark() != mark) {
                // "while parsing a flow sequence" on line 3: where the unclosed thing began is where to look.
                problem += " (" + e.getContext() + " started on line " + (e.getContextMark().getLine() + 1) + ")";
            }
            throw new SpaceException(source, mark == null ? 0 : mark.getLine() + 1, "", "invalid YAML: " + problem);
        } catch (YAMLException e) {
            throw new SpaceException(source, 0, "", "invalid YAML: " + e.getMessage());
        }
    }

    private SpaceSpec document(Node root) {
        Section top = section(root, "");
        top.allowOnly("name", "dataset", "search", "tpe", "genetic", "pruner", "max_trials",
                "max_minutes", "max_consecutive_failures", "max_retries", "seed", "objective", "grid_points", "training", "model");
        String name = top.text("name").orElseThrow(() -> top.missing("name"));
        if (name.isBlank() || name.length() > 200) {
            throw top.error("name", "must be 1 to 200 characters");
        }
        DataSpec dataset = dataset(top);
        SearchKind search = top.text("search").map(s -> enumValue(top, "search", s, SearchKind.class))
                .orElse(SearchKind.RANDOM);
        int maxTrials = top.integer("max_trials", 1, MAX_TRIALS).orElse(20);
        // As Optuna's timeout and Ray Tune's time_budget_s; minutes, since searches last minutes to days.
        Optional<Duration> timeBudget = top.decimal("max_minutes", SpaceSpec::validMinutes, SpaceSpec.MINUTES_RULE)
                .map(SpaceSpec::ofMinutes);
        int maxConsecutiveFailures = top.integer("max_consecutive_failures", 1, 1_000_000).orElse(5);
        // As Ray Tune's max_failures: a trial whose worker died is trained again once by another worker by default.
        int maxRetries = top.integer("max_retries", 0, 100).orElse(1);
        long seed = top.longValue("seed").orElse(42L);
        Objective objective = top.text("objective").map(key -> Objective.fromKey(key).orElseThrow(
                () -> top.error("objective", "unknown objective '" + key + "'; use one of " + objectiveKeys())))
                .orElse(Objective.VAL_ACCURACY);
        int gridPoints = top.integer("grid_points", 2, 100).orElse(5);
        TrainingSpec training = training(top.child("training"));
        if (training.augment().isPresent() && !imageData(dataset)) {
            throw top.child("training").orElseThrow().error("augment", "augmentation shifts and mirrors images; "
                    + "dataset type " + dataset.type() + " has table rows");
        }
        Section model = top.child("model").orElseThrow(() -> top.missing("model"));
        ModelSpec modelSpec = model(model);
        checkModelFitsData(model, modelSpec, dataset);
        SearchOptions options = new SearchOptions(tpe(top, search), genetic(top, search),
                pruner(top, training));
        SpaceSpec spec = new SpaceSpec(name, dataset, baseDir, search, options, maxTrials, maxConsecutiveFailures,
                maxRetries, seed, objective, gridPoints, training, modelSpec, timeBudget);
        if (search == SearchKind.GRID) {
            BigInteger size = SpaceSize.distinctNetworks(spec);
            if (size.compareTo(BigInteger.valueOf(MAX_GRID_POINTS)) > 0) {
                throw top.error("search", "grid search over this space has " + size + " points (more than "
                        + MAX_GRID_POINTS + "); use fewer choices, larger steps or fewer grid_points, "
                        + "or search: random");
            }
        }
        return spec;
    }

    private static final String DATASET_TYPES = "fashion-mnist, idx, csv or images";

    /** {@code dataset: fashion-mnist}, or a mapping with a {@code type} and that type's keys. */
    private DataSpec dataset(Section top) {
        Optional<Node> node = top.value("dataset");
        if (node.isEmpty()) {
            return new DataSpec.FashionMnist();
        }
        if (node.get() instanceof ScalarNode) {
            String name = top.text("dataset").orElseThrow();
            if (!name.equals("fashion-mnist")) {
                throw top.error("dataset", "unknown dataset '" + abbreviate(name) + "'; use fashion-mnist, or a "
                        + "mapping with type: " + DATASET_TYPES + " (see the README)");
            }
            return new DataSpec.FashionMnist();
        }
        Section d = top.child("dataset").orElseThrow();
        String type = d.text("type").orElseThrow(() -> d.missing("type"));
        switch (type) {
            case "fashion-mnist" -> {
                d.allowOnly("type");
                return new DataSpec.FashionMnist();
            }
            case "idx" -> {
                d.allowOnly("type", "train_images", "train_labels", "test_images", "test_labels", "test_split",
                        "classes");
                Path trainImages = d.path("train_images").orElseThrow(() -> d.missing("train_images"));
                Path trainLabels = d.path("train_labels").orElseThrow(() -> d.missing("train_labels"));
                Optional<Path> testImages = d.path("test_images");
                Optional<Path> testLabels = d.path("test_labels");
                if (testImages.isPresent() != testLabels.isPresent()) {
                    throw d.missing(testImages.isPresent() ? "test_labels" : "test_images");
                }
                return new DataSpec.Idx(trainImages, trainLabels, testImages, testLabels, testSplit(d, testImages),
                        d.textList("classes").orElse(List.of()));
            }
            case "csv" -> {
                d.allowOnly("type", "train", "test", "label", "header", "delimiter", "features", "test_split",
                        "missing");
                Path train = d.path("train").orElseThrow(() -> d.missing("train"));
                Optional<Path> test = d.path("test");
                boolean header = d.flag("header").orElse(true);
                String label = d.scalarText("label").orElseThrow(() -> d.missing("label"));
                if (!header && !label.matches("\\d{1,6}")) {
                    throw d.error("label", "without a header the label is a column's 0-based index, found '"
                            + abbreviate(label) + "'");
                }
                List<String> features = d.textList("features").orElse(List.of());
                if (!header) {
                    for (String f : features) {
                        if (!f.matches("\\d{1,6}")) {
                            throw d.error("features", "without a header columns are 0-based indices, found '"
                                    + abbreviate(f) + "'");
                        }
                    }
                }
                if (features.contains(label)) {
                    throw d.error("features", "lists the label column '" + abbreviate(label) + "'");
                }
                String delimiter = d.text("delimiter").orElse(",");
                if (delimiter.equals("tab")) {
                    delimiter = "\t";
                }
                if (delimiter.length() != 1 || delimiter.equals("\"") || delimiter.equals("\n")
                        || delimiter.equals("\r")) {
                    throw d.error("delimiter", "must be one character (or tab), not a quote or line end; found '"
                            + abbreviate(delimiter) + "'");
                }
                String missing = d.text("missing").orElse("error");
                if (!missing.equals("error") && !missing.equals("impute")) {
                    throw d.error("missing", "unknown value '" + abbreviate(missing) + "'; use error (a missing cell "
                            + "stops the run) or impute (the training mean, or a category of its own)");
                }
                return new DataSpec.Csv(train, test, label, header, delimiter.charAt(0), features,
                        testSplit(d, test), missing.equals("impute"));
            }
            case "images" -> {
                d.allowOnly("type", "train", "test", "height", "width", "channels", "test_split");
                Path train = d.path("train").orElseThrow(() -> d.missing("train"));
                Optional<Path> test = d.path("test");
                int height = d.integer("height", 1, 4096).orElseThrow(() -> d.missing("height"));
                int width = d.integer("width", 1, 4096).orElseThrow(() -> d.missing("width"));
                int channels = d.integer("channels", 1, 3).orElse(3);
                if (channels == 2) {
                    throw d.error("channels", "must be 1 (grey) or 3 (RGB), found 2");
                }
                return new DataSpec.Images(train, test, height, width, channels, testSplit(d, test));
            }
            default -> throw d.error("type", "unknown dataset type '" + abbreviate(type) + "'; use one of "
                    + DATASET_TYPES);
        }
    }

    /** test_split: only where the data has no test part of its own. */
    private double testSplit(Section d, Optional<Path> test) {
        Optional<Double> split = d.decimal("test_split", v -> v > 0 && v < 1, "must be between 0 and 1, exclusive");
        if (split.isPresent() && test.isPresent()) {
            throw d.error("test_split", "applies only without test: the test examples are given");
        }
        return split.orElse(DataSpec.DEFAULT_TEST_SPLIT);
    }

    private static boolean imageData(DataSpec dataset) {
        return !(dataset instanceof DataSpec.Csv);
    }

    /**
     * A cnn needs images, and images large enough for its pooling: each block halves them. Checked here where the
     * space says the image size; an IDX file's size is checked when it is read.
     */
    private void checkModelFitsData(Section model, ModelSpec spec, DataSpec dataset) {
        if (!spec.type().convolutional()) {
            return;
        }
        if (!imageData(dataset)) {
            throw model.error("type", "a " + spec.type().key() + " needs images; dataset type " + dataset.type()
                    + " gives table rows: use type: mlp");
        }
        int side = dataset instanceof DataSpec.Images images ? Math.min(images.height(), images.width())
                : dataset instanceof DataSpec.FashionMnist ? 28 : 0;
        if (side > 0) {
            spec.tooSmallFor(side).ifPresent(problem -> {
                throw model.error("conv_blocks", problem);
            });
        }
    }

    /** {@code tpe:}, only with {@code search: tpe}. */
    private SearchOptions.Tpe tpe(Section top, SearchKind search) {
        return top.child("tpe").map(t -> {
            if (search != SearchKind.TPE) {
                throw top.error("tpe", "applies to search: tpe only");
            }
            t.allowOnly("startup_trials", "candidates", "prior_weight", "multivariate");
            SearchOptions.Tpe d = SearchOptions.Tpe.DEFAULT;
            return new SearchOptions.Tpe(t.integer("startup_trials", 1, 100_000).orElse(d.startupTrials()),
                    t.integer("candidates", 1, 10_000).orElse(d.candidates()),
                    t.decimal("prior_weight", v -> v >= 0 && v <= 100, "must be between 0 and 100")
                            .orElse(d.priorWeight()),
                    t.flag("multivariate").orElse(d.multivariate()));
        }).orElse(SearchOptions.Tpe.DEFAULT);
    }

    /** {@code genetic:}, only with {@code search: genetic}. */
    private SearchOptions.Genetic genetic(Section top, SearchKind search) {
        return top.child("genetic").map(g -> {
            if (search != SearchKind.GENETIC) {
                throw top.error("genetic", "applies to search: genetic only");
            }
            g.allowOnly("population_size", "crossover_rate", "mutation_rate");
            SearchOptions.Genetic d = SearchOptions.Genetic.DEFAULT;
            // At least 3: Arbiter breeds from two thirds of the population, rounded, and picks two different
            // parents; with 2 it would breed from one chromosome and loop forever looking for a second.
            return new SearchOptions.Genetic(g.integer("population_size", 3, 100_000).orElse(d.populationSize()),
                    g.decimal("crossover_rate", v -> v >= 0 && v <= 1, "must be between 0 and 1")
                            .orElse(d.crossoverRate()),
                    g.decimal("mutation_rate", v -> v >= 0 && v <= 1, "must be between 0 and 1")
                            .orElse(d.mutationRate()));
        }).orElse(SearchOptions.Genetic.DEFAULT);
    }

    /**
     * {@code pruner: {type: median | asha | hyperband | none, ...}}. Several executions per trial are refused with
     * it: which execution's curve would be compared is a choice nobody would guess.
     */
    private PrunerSpec pruner(Section top, TrainingSpec training) {
        Optional<Section> maybe = top.child("pruner");
        if (maybe.isEmpty()) {
            return PrunerSpec.NONE;
        }
        Section p = maybe.get();
        String type = p.text("type").orElseThrow(() -> p.missing("type"));
        if (!type.equals("none") && training.executions() > 1) {
            throw p.error("type", "pruning compares one learning curve per trial; it cannot be combined with "
                    + "training.executions_per_trial above 1");
        }
        PrunerSpec pruner = switch (type) {
            case "none" -> {
                p.allowOnly("type");
                yield PrunerSpec.NONE;
            }
            case "median" -> {
                p.allowOnly("type", "startup_trials", "warmup_epochs", "interval_epochs", "min_trials");
                yield new PrunerSpec.Median(p.integer("startup_trials", 0, 100_000).orElse(5),
                        p.integer("warmup_epochs", 0, 10_000).orElse(0),
                        p.integer("interval_epochs", 1, 10_000).orElse(1),
                        p.integer("min_trials", 1, 100_000).orElse(1));
            }
            case "asha" -> {
                p.allowOnly("type", "min_epochs", "min_minutes", "reduction_factor", "min_early_stopping_rate",
                        "bootstrap_count");
                Optional<Integer> minEpochs = p.integer("min_epochs", 1, 10_000);
                Optional<Double> minMinutes = p.decimal("min_minutes", v -> v > 0 && v <= 100_000,
                        "must be a number of minutes above 0 (at most 100000)");
                if (minEpochs.isPresent() && minMinutes.isPresent()) {
                    throw p.error("min_minutes", "rungs are either in epochs (min_epochs) or in minutes of training "
                            + "(min_minutes): give one of them");
                }
                yield new PrunerSpec.Asha(minEpochs.orElse(1), minMinutes.orElse(0.0),
                        p.integer("reduction_factor", 2, 100).orElse(4),
                        p.integer("min_early_stopping_rate", 0, 100).orElse(0),
                        p.integer("bootstrap_count", 0, 100_000).orElse(0));
            }
            case "hyperband" -> {
                p.allowOnly("type", "min_epochs", "reduction_factor", "bootstrap_count");
                int minEpochs = p.integer("min_epochs", 1, 10_000).orElse(1);
                yield new PrunerSpec.Hyperband(minEpochs, p.integer("reduction_factor", 2, 100).orElse(3),
                        p.integer("bootstrap_count", 0, 100_000).orElse(0));
            }
            default -> throw p.error("type", "unknown pruner '" + abbreviate(type) + "'; use median, asha, "
                    + "hyperband or none");
        };
        if (checkIdle) {
            pruner.idleWith(training.epochs()).ifPresent(idle -> {
                throw p.error(idle.leaf(), idle.problem());
            });
        }
        return pruner;
    }

    private TrainingSpec training(Optional<Section> maybe) {
        if (maybe.isEmpty()) {
            return TrainingSpec.of(10, 128, DEFAULT_VALIDATION_SPLIT, 0);
        }
        Section t = maybe.get();
        t.allowOnly("epochs", "batch_size", "validation_split", "train_limit", "executions_per_trial",
                "early_stopping", "augment", "checkpoint_minutes");
        int epochs = t.integer("epochs", 1, MAX_EPOCHS).orElse(10);
        int batchSize = t.integer("batch_size", 1, 60_000).orElse(128);
        double split = t.decimal("validation_split", v -> v > 0 && v < 1, "must be between 0 and 1, exclusive")
                .orElse(DEFAULT_VALIDATION_SPLIT);
        int trainLimit = t.integer("train_limit", 1, MAX_TRAIN_LIMIT).orElse(0);
        int executions = t.integer("executions_per_trial", 1, 100).orElse(1);
        Optional<EarlyStopping> early = t.child("early_stopping").map(e -> {
            e.allowOnly("patience", "min_delta", "metric");
            int patience = e.integer("patience", 1, 10_000).orElseThrow(() -> e.missing("patience"));
            double minDelta = e.decimal("min_delta", v -> v >= 0, "must be 0 or more").orElse(0.0);
            Objective metric = e.text("metric").map(key -> Objective.fromKey(key).orElseThrow(() -> e.error("metric",
                    "unknown value '" + key + "'; use one of " + objectiveKeys()))).orElse(Objective.VAL_LOSS);
            return new EarlyStopping(patience, minDelta, metric);
        });
        Optional<TrainingSpec.Augment> augment = t.child("augment").map(a -> {
            a.allowOnly("shift", "horizontal_flip");
            return new TrainingSpec.Augment(a.integer("shift", 0, 8).orElse(0), a.flag("horizontal_flip").orElse(false));
        });
        Optional<Double> checkpointMinutes = t.decimal("checkpoint_minutes", v -> v >= 0 && v <= 10_000,
                "must be between 0 (after every epoch) and 10000");
        if (executions > 1 && checkpointMinutes.isPresent()) {
            throw t.error("checkpoint_minutes", "trials of several executions (executions_per_trial: " + executions
                    + ") are not checkpointed: an interrupted one trains again from scratch; remove the key");
        }
        return new TrainingSpec(epochs, batchSize, split, trainLimit, executions, early, augment,
                checkpointMinutes.orElse(TrainingSpec.DEFAULT_CHECKPOINT_MINUTES));
    }

    private ModelSpec model(Section m) {
        String type = m.text("type").orElseThrow(() -> m.missing("type"));
        return switch (type) {
            case "mlp" -> mlp(m);
            case "cnn" -> cnn(m);
            case "resnet" -> resnet(m);
            default -> throw m.error("type", "unknown model type '" + type + "'; use mlp, cnn or resnet");
        };
    }

    /** Dense layers: the keys of the reference space, plus batch norm, activation, L2 and batch size. */
    private ModelSpec mlp(Section m) {
        m.allowOnly("type", "input_dropout", "hidden_layers", "units", "dropout", "batch_norm", "activation", "l2",
                "batch_size", "optimizer", "learning_rate", "learning_rate_schedule");
        List<ModelSpec.Entry> entries = new ArrayList<>();
        entries.add(new ModelSpec.Shared("input_dropout",
                m.param("input_dropout", ParamType.DECIMAL, Bounds.DROPOUT).orElse(new Param.Fixed(0.0))));
        entries.add(denseGroup(m, "hidden_layers", 1));
        commonTail(m, entries);
        return new ModelSpec(ModelType.MLP, entries);
    }

    /** Convolution blocks (convs_per_block 3x3 convolutions, 2x2 max pooling, dropout), then dense layers. */
    private ModelSpec cnn(Section m) {
        m.allowOnly("type", "input_batch_norm", "conv_blocks", "convs_per_block", "kernel", "filters",
                "conv_batch_norm", "conv_dropout", "dense_layers", "units", "dropout", "batch_norm", "activation",
                "l2", "batch_size", "optimizer", "learning_rate", "learning_rate_schedule");
        List<ModelSpec.Entry> entries = new ArrayList<>();
        m.param("input_batch_norm", ParamType.BOOLEAN, Bounds.NONE)
                .ifPresent(p -> entries.add(new ModelSpec.Shared("input_batch_norm", p)));
        Param blocks = m.param("conv_blocks", ParamType.INTEGER, new Bounds(1, 3))
                .orElseThrow(() -> m.missing("conv_blocks"));
        int maxBlocks = maxCount(blocks);
        List<ModelSpec.LayerParam> perBlock = new ArrayList<>();
        perBlock.add(m.layerParam("filters", ParamType.INTEGER, new Bounds(1, 1024), "conv_blocks", maxBlocks)
                .orElseThrow(() -> m.missing("filters")));
        m.layerParam("conv_batch_norm", ParamType.BOOLEAN, Bounds.NONE, "conv_blocks", maxBlocks)
                .ifPresent(perBlock::add);
        m.layerParam("conv_dropout", ParamType.DECIMAL, Bounds.DROPOUT, "conv_blocks", maxBlocks)
                .ifPresent(perBlock::add);
        entries.add(new ModelSpec.Group("conv_blocks", blocks, perBlock));
        m.param("convs_per_block", ParamType.INTEGER, new Bounds(1, 4))
                .ifPresent(p -> entries.add(new ModelSpec.Shared("convs_per_block", p)));
        m.param("kernel", ParamType.INTEGER, new Bounds(1, 7))
                .ifPresent(p -> entries.add(new ModelSpec.Shared("kernel", p)));
        entries.add(denseGroup(m, "dense_layers", 0));
        commonTail(m, entries);
        return new ModelSpec(ModelType.CNN, entries);
    }

    /**
     * A residual network: {@code stages} of {@code blocks_per_stage} residual blocks, {@code filters} per stage (the
     * stem convolution has the first stage's), {@code bottleneck} blocks or basic ones, then dense layers.
     */
    private ModelSpec resnet(Section m) {
        m.allowOnly("type", "stages", "blocks_per_stage", "filters", "bottleneck", "dense_layers", "units", "dropout",
                "batch_norm", "activation", "l2", "batch_size", "optimizer", "learning_rate",
                "learning_rate_schedule");
        List<ModelSpec.Entry> entries = new ArrayList<>();
        Param stages = m.param("stages", ParamType.INTEGER, new Bounds(1, 4)).orElseThrow(() -> m.missing("stages"));
        List<ModelSpec.LayerParam> perStage = new ArrayList<>();
        perStage.add(m.layerParam("filters", ParamType.INTEGER, new Bounds(1, 1024), "stages", maxCount(stages))
                .orElseThrow(() -> m.missing("filters")));
        entries.add(new ModelSpec.Group("stages", stages, perStage));
        entries.add(new ModelSpec.Shared("blocks_per_stage", m.param("blocks_per_stage", ParamType.INTEGER,
                new Bounds(1, 8)).orElseThrow(() -> m.missing("blocks_per_stage"))));
        m.param("bottleneck", ParamType.BOOLEAN, Bounds.NONE)
                .ifPresent(p -> entries.add(new ModelSpec.Shared("bottleneck", p)));
        // The dense head is optional: global average pooling feeds the softmax directly, as in He et al.
        if (m.value("dense_layers").isPresent()) {
            entries.add(denseGroup(m, "dense_layers", 0));
        } else {
            for (String key : List.of("units", "dropout", "batch_norm")) {
                if (m.value(key).isPresent()) {
                    throw m.error(key, "applies to the dense head: add dense_layers");
                }
            }
        }
        commonTail(m, entries);
        return new ModelSpec(ModelType.RESNET, entries);
    }

    /** Dense layers counted by {@code countKey}, each with its own units, dropout and (optional) batch norm. */
    private ModelSpec.Group denseGroup(Section m, String countKey, int minCount) {
        Param count = m.param(countKey, ParamType.INTEGER, new Bounds(minCount, 16))
                .orElseThrow(() -> m.missing(countKey));
        int max = maxCount(count);
        List<ModelSpec.LayerParam> perLayer = new ArrayList<>();
        Optional<ModelSpec.LayerParam> units = m.layerParam("units", ParamType.INTEGER, new Bounds(1, 65_536),
                countKey, max);
        if (max > 0) {
            perLayer.add(units.orElseThrow(() -> m.missing("units")));
        }
        perLayer.add(m.layerParam("dropout", ParamType.DECIMAL, Bounds.DROPOUT, countKey, max)
                .orElse(new ModelSpec.LayerParam("dropout", java.util.Collections.nCopies(max, new Param.Fixed(0.0)))));
        m.layerParam("batch_norm", ParamType.BOOLEAN, Bounds.NONE, countKey, max).ifPresent(perLayer::add);
        return new ModelSpec.Group(countKey, count, perLayer);
    }

    /** Keys every model type shares, after its layers: only those the file names, plus optimizer and rate. */
    private void commonTail(Section m, List<ModelSpec.Entry> entries) {
        m.param("activation", ParamType.TEXT, Bounds.words(ACTIVATIONS))
                .ifPresent(p -> entries.add(new ModelSpec.Shared("activation", p)));
        m.param("l2", ParamType.DECIMAL, new Bounds(0, 1))
                .ifPresent(p -> entries.add(new ModelSpec.Shared("l2", p)));
        m.param("batch_size", ParamType.INTEGER, new Bounds(1, 60_000))
                .ifPresent(p -> entries.add(new ModelSpec.Shared("batch_size", p)));
        entries.add(new ModelSpec.Shared("optimizer",
                m.param("optimizer", ParamType.TEXT, Bounds.words(OPTIMIZERS)).orElse(new Param.Fixed("adam"))));
        entries.add(new ModelSpec.Shared("learning_rate", m.param("learning_rate", ParamType.DECIMAL,
                Bounds.LEARNING_RATE).orElseThrow(() -> m.missing("learning_rate"))));
        m.param("learning_rate_schedule", ParamType.TEXT, Bounds.words(LearningRateSchedule.keys()))
                .ifPresent(p -> entries.add(new ModelSpec.Shared("learning_rate_schedule", p)));
    }

    private static int maxCount(Param count) {
        return count.discreteValues().orElseThrow().stream().mapToInt(v -> (Integer) v).max().orElseThrow();
    }

    private static String objectiveKeys() {
        List<String> keys = new ArrayList<>();
        for (Objective o : Objective.values()) {
            keys.add(o.key());
        }
        return String.join(", ", keys);
    }

    private static <E extends Enum<E>> E enumValue(Section at, String key, String text, Class<E> type) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E value : type.getEnumConstants()) {
                names.add(value.name().toLowerCase(Locale.ROOT));
            }
            throw at.error(key, "unknown value '" + text + "'; use one of " + String.join(", ", names));
        }
    }

    /** Allowed values of a parameter: a numeric interval, inclusive unless said otherwise, or a set of words. */
    private record Bounds(double min, double max, boolean maxExclusive, boolean minExclusive, Set<String> words) {
        static final Bounds NONE = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, false,
                Set.of());
        /** Dropping every unit (1.0) would leave nothing to learn from. */
        static final Bounds DROPOUT = new Bounds(0, 1, true, false, Set.of());
        static final Bounds LEARNING_RATE = new Bounds(0, 10, false, true, Set.of());

        Bounds(double min, double max) {
            this(min, max, false, false, Set.of());
        }

        static Bounds words(Set<String> words) {
            return new Bounds(0, 0, false, false, words);
        }

        boolean contains(double v) {
            return (minExclusive ? v > min : v >= min) && (maxExclusive ? v < max : v <= max);
        }

        String describe(ParamType type) {
            String lo = type == ParamType.INTEGER ? String.valueOf((long) min) : String.valueOf(min);
            String hi = type == ParamType.INTEGER ? String.valueOf((long) max) : String.valueOf(max);
            return "must be " + (minExclusive ? "> " : ">= ") + lo + " and " + (maxExclusive ? "< " : "<= ") + hi;
        }
    }

    private static final Set<String> OPTIMIZERS = Set.of("adam", "sgd", "nesterovs", "rmsprop");
    private static final Set<String> ACTIVATIONS = Set.of("relu", "leaky_relu", "elu", "tanh");

    private Section section(Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            throw new SpaceException(source, line(node), path, path.isEmpty()
                    ? "the file must be a YAML mapping of keys (name:, search:, model:, ...)"
                    : "expected a mapping of keys, found " + describe(node));
        }
        return new Section(mapping, path);
    }

    private int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return "'" + abbreviate(scalar.getValue()) + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** One YAML mapping, with its dotted path, read key by key. */
    private final class Section {
        private final MappingNode node;
        private final String path;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        Section(MappingNode node, String path) {
            this.node = node;
            this.path = path;
            for (NodeTuple tuple : node.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new SpaceException(source, line(tuple.getKeyNode()), path, "keys must be plain names");
                }
                if (entries.put(key.getValue(), tuple) != null) {
                    throw new SpaceException(source, line(key), qualify(key.getValue()), "duplicate key");
                }
            }
        }

        String qualify(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        SpaceException error(String key, String problem) {
            NodeTuple tuple = entries.get(key);
            return new SpaceException(source, tuple == null ? line(node) : line(tuple.getValueNode()), qualify(key),
                    problem);
        }

        SpaceException missing(String key) {
            return new SpaceException(source, line(node), qualify(key), "required key is missing");
        }

        void allowOnly(String... keys) {
            Set<String> allowed = Set.of(keys);
            for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw new SpaceException(source, line(e.getValue().getKeyNode()), qualify(e.getKey()),
                            "unknown key; expected one of " + String.join(", ", keys));
                }
            }
        }

        /** A data path, resolved against the space's folder; one the parser's {@link DataPaths} refuses is an error. */
        Optional<Path> path(String key) {
            return text(key).map(text -> {
                if (text.isBlank() || text.indexOf('\0') >= 0) {
                    throw error(key, "expected a file or folder path");
                }
                Path resolved;
                try {
                    resolved = baseDir.resolve(text).normalize();
                } catch (java.nio.file.InvalidPathException e) {
                    throw error(key, "'" + abbreviate(text) + "' is not a valid path (" + e.getReason() + ")");
                }
                dataPaths.refuse(resolved).ifPresent(problem -> {
                    throw error(key, problem);
                });
                return resolved;
            });
        }

        /** A single value of any kind, as written: a column name or index. */
        Optional<String> scalarText(String key) {
            return value(key).map(n -> scalar(key, n).getValue());
        }

        /** A list of single values, as written (names, or indices). */
        Optional<List<String>> textList(String key) {
            return value(key).map(n -> {
                if (!(n instanceof SequenceNode list) || list.getValue().isEmpty()) {
                    throw error(key, "expected a non-empty list, e.g. [a, b]");
                }
                List<String> items = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (Node item : list.getValue()) {
                    String v = scalar(key, item).getValue();
                    if (!seen.add(v)) {
                        throw new SpaceException(source, line(item), qualify(key), "'" + abbreviate(v)
                                + "' is listed twice");
                    }
                    items.add(v);
                }
                return items;
            });
        }

        Optional<Section> child(String key) {
            return value(key).map(n -> section(n, qualify(key)));
        }

        private Optional<Node> value(String key) {
            NodeTuple tuple = entries.get(key);
            if (tuple == null || isNull(tuple.getValueNode())) {
                return Optional.empty();
            }
            return Optional.of(tuple.getValueNode());
        }

        private ScalarNode scalar(String key, Node n) {
            if (!(n instanceof ScalarNode s)) {
                throw error(key, "expected a single value, found " + describe(n));
            }
            return s;
        }

        Optional<String> text(String key) {
            return value(key).map(n -> {
                ScalarNode s = scalar(key, n);
                if (!s.getTag().equals(Tag.STR)) {
                    throw error(key, "expected text, found " + describe(s));
                }
                return s.getValue();
            });
        }

        Optional<Long> longValue(String key) {
            return value(key).map(n -> wholeNumber(key, scalar(key, n)));
        }

        Optional<Integer> integer(String key, int min, int max) {
            return value(key).map(n -> {
                long v = wholeNumber(key, scalar(key, n));
                if (v < min || v > max) {
                    throw error(key, "must be between " + min + " and " + max + ", found " + v);
                }
                return (int) v;
            });
        }

        Optional<Double> decimal(String key, DoublePredicate valid, String rule) {
            return value(key).map(n -> {
                double v = number(key, scalar(key, n));
                if (!valid.test(v)) {
                    throw error(key, rule + ", found " + v);
                }
                return v;
            });
        }

        /**
         * A scalar YAML 1.1 tags as a boolean, as SnakeYAML and PyYAML read it: yes, on and true (any case) are
         * true; no, off and false are false. Boolean.parseBoolean alone would read yes and on as false.
         */
        private static boolean yamlBoolean(ScalarNode s) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            return v.equals("true") || v.equals("yes") || v.equals("on");
        }

        private long wholeNumber(String key, ScalarNode s) {
            if (!s.getTag().equals(Tag.INT)) {
                throw error(key, "expected a whole number, found " + describe(s));
            }
            // YAML 1.1 also reads 0x40, 0b101 and 1:30 (base 60) as integers; hpsearch takes decimal digits only.
            if (!s.getValue().matches("[-+]?[0-9_]+")) {
                throw error(key, "write whole numbers in decimal digits, found " + describe(s));
            }
            try {
                return Long.parseLong(s.getValue().replace("_", "").replaceFirst("^\\+", ""));
            } catch (NumberFormatException e) {
                throw error(key, "number " + abbreviate(s.getValue()) + " is too large");
            }
        }

        private double number(String key, ScalarNode s) {
            if (!s.getTag().equals(Tag.INT) && !s.getTag().equals(Tag.FLOAT)) {
                throw error(key, "expected a number, found " + describe(s));
            }
            double v;
            try {
                v = Double.parseDouble(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                throw error(key, "expected a number, found " + describe(s));
            }
            if (!Double.isFinite(v)) {
                throw error(key, "number " + abbreviate(s.getValue()) + " is out of range");
            }
            return v;
        }

        /** A plain value, {@code {choice: [...]}} or {@code {min, max, step, log}}. */
        Optional<Param> param(String key, ParamType type, Bounds bounds) {
            return value(key).map(n -> paramAt(n, key, type, bounds));
        }

        private Param paramAt(Node n, String key, ParamType type, Bounds bounds) {
            if (n instanceof MappingNode) {
                Section spec = section(n, qualify(key));
                return spec.entries.containsKey("choice") ? spec.choice(type, bounds) : spec.range(type, bounds);
            }
            return new Param.Fixed(spec(key, scalar(key, n), type, bounds));
        }

        /**
         * A per-layer parameter: one parameter every layer draws from independently, or
         * {@code {per_layer: [a, b, ...]}} with one parameter per layer, for up to {@code maxCount} layers.
         */
        Optional<ModelSpec.LayerParam> layerParam(String key, ParamType type, Bounds bounds, String countKey,
                                                  int maxCount) {
            return value(key).map(n -> {
                if (n instanceof MappingNode && section(n, qualify(key)).entries.containsKey("per_layer")) {
                    Section spec = section(n, qualify(key));
                    spec.allowOnly("per_layer");
                    Node items = spec.entries.get("per_layer").getValueNode();
                    if (!(items instanceof SequenceNode list) || list.getValue().size() < maxCount) {
                        throw spec.error("per_layer", "expected a list of at least " + maxCount + " values, one per "
                                + "layer that " + qualify(countKey) + " allows");
                    }
                    List<Param> byLayer = new ArrayList<>();
                    for (int i = 0; i < maxCount; i++) {
                        byLayer.add(spec.paramAt(list.getValue().get(i), "per_layer", type, bounds));
                    }
                    return new ModelSpec.LayerParam(key, byLayer);
                }
                return new ModelSpec.LayerParam(key, java.util.Collections.nCopies(maxCount,
                        paramAt(n, key, type, bounds)));
            });
        }

        Optional<Boolean> flag(String key) {
            return value(key).map(n -> (Boolean) spec(key, scalar(key, n), ParamType.BOOLEAN, Bounds.NONE));
        }

        private Param choice(ParamType type, Bounds bounds) {
            allowOnly("choice");
            Node n = entries.get("choice").getValueNode();
            if (!(n instanceof SequenceNode list)) {
                throw error("choice", "expected a list of values, e.g. choice: [64, 128]");
            }
            if (list.getValue().isEmpty()) {
                throw error("choice", "must not be empty");
            }
            List<Object> values = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (Node item : list.getValue()) {
                Object v = spec("choice", scalar("choice", item), type, bounds);
                if (!seen.add(v)) {
                    throw new SpaceException(source, line(item), qualify("choice"), "value " + v + " is listed twice");
                }
                values.add(v);
            }
            return values.size() == 1 ? new Param.Fixed(values.get(0)) : new Param.Choice(values);
        }

        private Param range(ParamType type, Bounds bounds) {
            if (type == ParamType.TEXT || type == ParamType.BOOLEAN) {
                throw new SpaceException(source, line(node), path, "expected a value or {choice: [...]}");
            }
            allowOnly("min", "max", "step", "log");
            ScalarNode minNode = scalar("min", value("min").orElseThrow(() -> missing("min")));
            ScalarNode maxNode = scalar("max", value("max").orElseThrow(() -> missing("max")));
            double min = ((Number) spec("min", minNode, type, bounds)).doubleValue();
            double max = ((Number) spec("max", maxNode, type, bounds)).doubleValue();
            if (min > max) {
                throw error("min", "min (" + minNode.getValue() + ") is greater than max (" + maxNode.getValue() + ")");
            }
            Double step = null;
            if (value("step").isPresent()) {
                ScalarNode stepNode = scalar("step", value("step").get());
                step = type == ParamType.INTEGER ? (double) wholeNumber("step", stepNode) : number("step", stepNode);
                if (step <= 0) {
                    throw error("step", "must be greater than 0");
                }
            }
            boolean log = false;
            if (value("log").isPresent()) {
                ScalarNode logNode = scalar("log", value("log").get());
                if (!logNode.getTag().equals(Tag.BOOL)) {
                    throw error("log", "expected true or false, found " + describe(logNode));
                }
                log = yamlBoolean(logNode);
                if (log && (step != null || type == ParamType.INTEGER)) {
                    throw error("log", "log applies to continuous ranges only (no step, decimal values)");
                }
                if (log && min <= 0) {
                    throw error("log", "a log range needs min > 0");
                }
            }
            Param.Range range = new Param.Range(type, min, max, step, log);
            List<Object> values = range.discreteValues().orElse(null);
            if (values != null && values.size() > 100_000) {
                throw error("step", "the range has " + values.size() + " values; use a larger step");
            }
            if (min == max || (values != null && values.size() == 1)) {
                return new Param.Fixed(values != null ? values.get(0) : min);
            }
            return range;
        }

        /** One value of a parameter, typed and within bounds. */
        private Object spec(String key, ScalarNode s, ParamType type, Bounds bounds) {
            Object v = switch (type) {
                case INTEGER -> {
                    long whole = wholeNumber(key, s);
                    if (whole < bounds.min() || whole > bounds.max()) {
                        throw new SpaceException(source, line(s), qualify(key), bounds.describe(type) + ", found " + whole);
                    }
                    yield (int) whole;
                }
                case DECIMAL -> {
                    double d = number(key, s);
                    if (!bounds.contains(d)) {
                        throw new SpaceException(source, line(s), qualify(key), bounds.describe(type) + ", found " + d);
                    }
                    yield d;
                }
                case TEXT -> {
                    if (!s.getTag().equals(Tag.STR) || !bounds.words().contains(s.getValue())) {
                        throw new SpaceException(source, line(s), qualify(key), "unknown value " + describe(s)
                                + "; use one of " + String.join(", ", bounds.words().stream().sorted().toList()));
                    }
                    yield s.getValue();
                }
                case BOOLEAN -> {
                    if (!s.getTag().equals(Tag.BOOL)) {
                        throw new SpaceException(source, line(s), qualify(key), "expected true or false, found "
                                + describe(s));
                    }
                    yield yamlBoolean(s);
                }
            };
            return v;
        }
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }
}
