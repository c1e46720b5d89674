package io.hpsearch.web;

import io.hpsearch.data.Dataset;
import io.hpsearch.data.images.ImageFolders;
import io.hpsearch.importance.ParamImportances;
import io.hpsearch.report.RunData;
import io.hpsearch.report.RankedTrials;
import io.hpsearch.report.TrialReport;
import io.hpsearch.report.TrialView;
import io.hpsearch.report.Views;
import io.hpsearch.runner.ResumeException;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SearchKind;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.LearningCurve;
import io.hpsearch.store.Objective;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.NetworkSummary;
import io.hpsearch.trial.TrialParams;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The JSON API over runs and trials; every handler is a method, routed in {@link WebServer}. */
public final class RunsController {
    /** Name under which a space sent to the API is reported in errors. */
    static final String BODY_SOURCE = "space.yaml";
    private static final List<String> FIXED_SORTS = List.of("rank", "number", "score", "epochs", "duration", "state");

    private final Store store;
    private final RunLauncher launcher;
    private final DataAccess data;

    public RunsController(Store store, RunLauncher launcher, DataAccess data) {
        this.store = store;
        this.launcher = launcher;
        this.data = data;
    }

    public void runs(Context ctx) {
        ctx.json(store.runSummaries().stream().map(Views.RunView::of).toList());
    }

    public void run(Context ctx) {
        ctx.json(Views.RunDetail.of(store, summary(ctx)));
    }

    /**
     * Ranked trials; {@code ?status=} filters, {@code ?sort=&order=} re-sorts (ranks stay the objective's),
     * {@code ?limit=&offset=} pages. The ranking's own order is paged by the database, so the top of a run with
     * thousands of trials costs no more than a small run.
     */
    public void trials(Context ctx) {
        long runId = summary(ctx).run().id();
        int limit = nonNegative(ctx, "limit");
        int offset = nonNegative(ctx, "offset");
        String status = ctx.queryParam("status");
        String sort = ctx.queryParam("sort");
        String order = ctx.queryParam("order");
        if (order != null && !order.isEmpty()) {
            if (!order.equals("asc") && !order.equals("desc")) {
                throw new ApiError(400, "order must be asc or desc, not '" + order + "'");
            }
            if (sort == null || sort.isEmpty()) {
                throw new ApiError(400, "order applies to sort: give sort too (for example sort=score&order="
                        + order + "); without sort, trials come ranked, best first");
            }
        }
        if ((status == null || status.isEmpty()) && (sort == null || sort.isEmpty())) {
            ctx.json(new RankedTrials(store.rankedTrials(runId, limit, offset), offset).views());
            return;
        }
        List<TrialView> views = new RankedTrials(store.rankedTrials(runId, 0)).views();
        if (status != null && !status.isEmpty()) {
            String state = status.toUpperCase(Locale.ROOT);
            if (Arrays.stream(TrialState.values()).noneMatch(t -> t.name().equals(state))) {
                throw new ApiError(400, "status must be one of " + Arrays.stream(TrialState.values())
                        .map(t -> t.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + status + "'");
            }
            views = views.stream().filter(v -> v.state().equals(state)).toList();
        }
        if (sort != null && !sort.isEmpty()) {
            boolean ascending = order == null || order.isEmpty() || order.equals("asc");
            Comparator<Object> values = RunsController::compareValues;
            Function<TrialView, Object> key = sortKey(sort, views);
            // Trials without a value (no score yet, a layer they do not have) stay last in either order.
            views = views.stream().sorted(Comparator.comparing(key,
                    Comparator.nullsLast(ascending ? values : values.reversed()))).toList();
        }
        int from = Math.min(offset, views.size());
        ctx.json(views.subList(from, limit > 0 ? Math.min(views.size(), from + limit) : views.size()));
    }

    /** An optional whole-number query parameter, 0 when absent. */
    private static int nonNegative(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        if (!value.matches("[0-9]+")) {
            throw new ApiError(400, name + " must be a whole number, 0 or more, not '" + value + "'");
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw new ApiError(400, name + " must be at most " + Integer.MAX_VALUE + ", not '" + value + "'");
        }
        return Integer.parseInt(digits);
    }

    public void trial(Context ctx) {
        RunSummary summary = summary(ctx);
        int number = ctx.pathParamAsClass("number", Integer.class).getOrThrow(e ->
                new ApiError(400, "trial number must be a whole number, not '" + ctx.pathParam("number") + "'"));
        // One read of the ranking gives both the trial and its rank, consistent with each other.
        List<Trial> ranked = store.rankedTrials(summary.run().id(), 0);
        Trial trial = ranked.stream().filter(t -> t.number() == number).findFirst().orElseThrow(() ->
                new ApiError(404, "run " + summary.run().id() + " has no trial " + number));
        TrialView view = new RankedTrials(ranked).views().get(ranked.indexOf(trial));
        RunData runData = RunData.of(store, summary.run().id());
        NetworkSummary network = NetworkSummary.of(TrialParams.fromMap(view.params()), runData.shape(),
                runData.classes().size());
        ctx.json(new Views.TrialDetail(view, store.epochs(trial.id()), network));
    }

    /**
     * Every trial's objective per epoch (first execution), by trial number: two queries whatever the run's size,
     * one for the trials' numbers and states, one for all their epochs.
     */
    public void curves(Context ctx) {
        Run run = summary(ctx).run();
        Map<Long, LearningCurve> curves = store.learningCurves(run.id(), run.objective());
        ctx.json(store.trials(run.id()).stream().map(t -> {
            double[] values = curves.getOrDefault(t.id(), LearningCurve.EMPTY).values();
            Double[] boxed = new Double[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = Double.isFinite(values[i]) ? values[i] : null;
            }
            return new Views.CurveView(t.number(), t.state().name(), boxed);
        }).toList());
    }

    /**
     * The run's parameter importances from its completed trials (see {@link ParamImportances}); the forest's seed
     * is the run's, so a finished run always shows the same figures.
     */
    public void importance(Context ctx) {
        Run run = summary(ctx).run();
        Object model = Views.RunDetail.resolvedSpace(run).get("model");
        @SuppressWarnings("unchecked")
        Map<String, Object> modelSpace = model instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<ParamImportances.Observation> completed = store.trials(run.id()).stream()
                .filter(t -> t.state() == TrialState.COMPLETED && t.score() != null)
                .map(t -> new ParamImportances.Observation(RankedTrials.parse(t.params()), t.score()))
                .toList();
        ctx.json(ParamImportances.of(modelSpace, completed, run.seed()));
    }

    /**
     * {@code ?runs=1,2,3}: each run's best score so far against the epochs it had trained when each of its trials
     * finished, in the order they finished ({@link Store#finishes}). 400 unless there are two or more runs, all with
     * the same objective.
     */
    public void compare(Context ctx) {
        String list = ctx.queryParam("runs");
        List<Long> ids = new ArrayList<>();
        for (String part : (list == null ? "" : list).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                long id = Long.parseLong(part.trim());
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            } catch (NumberFormatException e) {
                throw new ApiError(400, "runs must be run ids separated by commas, such as runs=1,2; not '" + list
                        + "'");
            }
        }
        if (ids.size() < 2) {
            throw new ApiError(400, "compare needs two or more different runs, such as runs=1,2");
        }
        List<Run> runs = ids.stream().map(id -> store.run(id).orElseThrow(() -> new ApiError(404, "no run " + id)))
                .toList();
        Objective objective = runs.get(0).objective();
        for (Run r : runs) {
            if (r.objective() != objective) {
                throw new ApiError(400, "runs with different objectives cannot be compared: run " + runs.get(0).id()
                        + " optimises " + objective.key() + ", run " + r.id() + " " + r.objective().key());
            }
        }
        ctx.json(new Views.Comparison(objective.key(), objective.maximise(), runs.stream()
                .map(r -> compared(r, objective)).toList()));
    }

    private Views.ComparedRun compared(Run run, Objective objective) {
        List<Trial> trials = store.trials(run.id());
        List<Views.EpochPoint> points = new ArrayList<>();
        Double best = null;
        for (Store.Finish f : store.finishes(run.id(), trials)) {
            Trial t = f.trial();
            if (t.state() == TrialState.COMPLETED && t.score() != null && Double.isFinite(t.score())
                    && (best == null || objective.beats(t.score(), best, 0))) {
                best = t.score();
            }
            points.add(new Views.EpochPoint(f.epochs(), best, t.number(), t.state().name()));
        }
        return new Views.ComparedRun(run.id(), run.name(), run.status().name(), run.searchKind(), trials.size(),
                points);
    }

    public void trialsCsv(Context ctx) {
        RunSummary summary = summary(ctx);
        StringWriter csv = new StringWriter();
        new TrialReport(summary.run(), store.rankedTrials(summary.run().id(), 0))
                .print(new PrintWriter(csv), TrialReport.Format.CSV);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"run-" + summary.run().id() + "-trials.csv\"");
        ctx.result(csv.toString());
    }

    /**
     * A space sent to the dashboard: its data paths resolve under the data root and may not leave it, and its data
     * is read and checked (the same errors as the command line, before anything is stored).
     */
    private record Checked(SpaceSpec spec, String yaml, Dataset dataset) {
    }

    private Checked check(Context ctx) {
        // Decoded strictly, as a file is: a body that is not UTF-8 is refused, never run with replacement characters.
        String yaml = SpaceParser.decode(ctx.bodyAsBytes(), BODY_SOURCE);
        SpaceSpec spec = SpaceParser.parse(yaml, BODY_SOURCE, data.root(), data);
        Dataset dataset = data.load(spec.dataset());
        SearchRunner.check(dataset, spec);
        return new Checked(spec, yaml, dataset);
    }

    /** Checks a space and its data without running it: the same errors as the command line. */
    public void validate(Context ctx) {
        Checked checked = check(ctx);
        SpaceSpec spec = checked.spec();
        Long gridSize = spec.search() == SearchKind.GRID ? SpaceSize.distinctNetworks(spec).longValue() : null;
        ctx.json(new Views.Validation(spec.name(), spec.search().key(), Samplers.plannedTrials(spec), gridSize,
                ImageFolders.skippedNotes(checked.dataset())));
    }

    public void launch(Context ctx) {
        Checked checked = check(ctx);
        long runId = launcher.launch(checked.spec(), checked.yaml());
        ctx.status(HttpStatus.CREATED).json(Views.RunView.of(store.runSummary(runId).orElseThrow()));
    }

    public void cancel(Context ctx) {
        RunSummary summary = summary(ctx);
        long id = summary.run().id();
        if (!store.requestCancel(id)) {
            throw new ApiError(409, "run " + id + " has already finished ("
                    + summary.run().status().name().toLowerCase(Locale.ROOT) + "); there is nothing to cancel");
        }
        ctx.status(HttpStatus.ACCEPTED).json(Views.RunView.of(store.runSummary(id).orElseThrow()));
    }

    /** Queues an interrupted or cancelled run to go on where it stopped; 409 for a run in any other state. */
    public void resume(Context ctx) {
        long id = summary(ctx).run().id();
        try {
            launcher.resume(id);
        } catch (ResumeException e) {
            throw new ApiError(409, e.getMessage());
        }
        ctx.status(HttpStatus.ACCEPTED).json(Views.RunView.of(store.runSummary(id).orElseThrow()));
    }

    /**
     * The run's best network as a model file (network, input encoding, class names): what {@code hpsearch predict}
     * reads. 404 until the run has a completed trial.
     */
    public void model(Context ctx) throws IOException {
        long id = summary(ctx).run().id();
        byte[] zip = SearchRunner.bestModel(store, id).orElseThrow(() -> new ApiError(404, "run " + id
                + " has no completed trial yet, so no model"));
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"run-" + id + "-model.zip\"");
        ctx.result(zip);
    }

    /** The reference space, to start from on the New run page. */
    public void defaultSpace(Context ctx) throws IOException {
        try (InputStream in = RunsController.class.getResourceAsStream("/spaces/fashion-mlp.yaml")) {
            if (in == null) {
                throw new ApiError(500, "the reference space is missing from this build");
            }
            ctx.contentType("text/plain; charset=utf-8").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private RunSummary summary(Context ctx) {
        long id = ctx.pathParamAsClass("id", Long.class).getOrThrow(e ->
                new ApiError(400, "run id must be a whole number, not '" + ctx.pathParam("id") + "'"));
        return store.runSummary(id).orElseThrow(() -> new ApiError(404, "no run " + id));
    }

    private static Function<TrialView, Object> sortKey(String sort, List<TrialView> views) {
        return switch (sort) {
            case "rank" -> TrialView::rank;
            case "number" -> TrialView::number;
            case "score" -> TrialView::score;
            case "epochs" -> TrialView::epochs;
            case "duration" -> TrialView::durationSeconds;
            case "state" -> TrialView::state;
            default -> {
                if (views.stream().noneMatch(v -> v.params().containsKey(sort))) {
                    throw new ApiError(400, "cannot sort by '" + sort + "': use one of " + FIXED_SORTS
                            + " or a parameter of this run");
                }
                yield v -> v.params().get(sort);
            }
        };
    }

    /** Numbers by value, text alphabetically. */
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }


}
