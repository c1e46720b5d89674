package io.hpsearch.sampler;

import io.hpsearch.pruner.Pruners;
import io.hpsearch.space.ModelSpec;
import io.hpsearch.space.Param;
import io.hpsearch.space.SearchOptions;
import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Tree-structured Parzen Estimator, as Optuna 4's TPESampler with its defaults (univariate), but its constant liar
 * always on (off by default in Optuna; here it is what keeps two workers from proposing the same network):
 * the first {@code startup_trials} trials are random; after them each parameter is drawn {@code candidates} times
 * from l(x), the density of the best gamma(n) = min(ceil(0.1 n), 25) finished trials, and the draw with the
 * largest l(x)/g(x) is taken, g(x) being the density of the other trials, running ones included.
 *
 * <p>The space's conditional structure is respected: a group's layer count is drawn first, then the parameters of
 * each layer that exists, each modelled only on the trials that have it (units_3 from trials with three layers or
 * more). As in Optuna, the random start counts the run's finished trials, not each parameter's: after it units_4
 * is drawn by TPE too, from the few trials that have it (where no good trial has it, l(x) is the prior alone and
 * g(x) steers away from the values the others had). With {@code
 * multivariate: true} the parameters are modelled in groups, jointly within each (Optuna's multivariate TPE with
 * group decomposition): the parameters every network has (the layer counts, the shared ones, the layers every
 * network has), then each optional layer's parameters (units_3 and dropout_3 together).
 *
 * <p>Never proposes a network the run has (or that this sampler proposed): a repeat is drawn again by TPE's
 * acquisition a few times; if it still repeats, the proposal is the unseen network with the largest l(x)/g(x) of
 * {@code candidates} drawn from l(x) (so it stays near the good trials); only then a random one, and an exhausted
 * finite space gives empty. Each proposal draws from a generator seeded by the seed and the number of trials known,
 * so the same history gives the same proposal, resumed or not.
 */
final class TpeSampler implements Sampler {
    /** TPE draws of a whole network (each the acquisition's best of its candidates) before a repeat is redrawn. */
    private static final int TPE_ATTEMPTS = 10;
    /**
     * After those, networks drawn straight from l(x), the good trials' density, of which the unseen one with the
     * largest l(x)/g(x) is proposed: a search that has found its region keeps proposing the best network, and a
     * random network in its place is a trial thrown away (measured: from the 46th trial on, real TPE + ASHA
     * searches proposed the learning rate no good trial had about as often as random search does). At most this
     * many draws, before falling back to random ones.
     */
    private static final int GOOD_DENSITY_DRAWS = 1_000;
    /** Random draws allowed per proposal in a space of unknown size, as for random search. */
    private static final long MIN_DRAWS = 1_000;

    private final ModelSpec model;
    private final SearchOptions.Tpe options;
    private final boolean maximise;
    /** How far a pruned trial got, as the run's pruner measures it: TPE ranks pruned trials by it. */
    private final ToIntFunction<TrialRecord> progress;
    private final long seed;
    private final Optional<BigInteger> spaceSize;
    /** The domain of every searched parameter key that can occur (units_1 ... units_max); Fixed ones absent. */
    private final Map<String, TpeDomain> domains = new HashMap<>();
    /**
     * With multivariate on, the groups of searched keys modelled jointly, in the space's order, and each key's
     * group; empty otherwise.
     */
    private final List<List<String>> groups = new ArrayList<>();
    private final Map<String, Integer> groupOf = new HashMap<>();
    /** What this sampler has proposed, by key: until the run's trials list them, they count as running. */
    private final Map<String, TrialParams> proposed = new LinkedHashMap<>();

    TpeSampler(SpaceSpec spec) {
        this.model = spec.model();
        this.options = spec.options().tpe();
        this.maximise = spec.objective().maximise();
        this.progress = Pruners.of(spec)::progress;
        this.seed = spec.seed();
        this.spaceSize = SpaceSize.finiteNetworks(spec);
        for (ModelSpec.Entry entry : model.entries()) {
            if (entry instanceof ModelSpec.Shared shared) {
                addDomain(shared.key(), shared.param());
            } else {
                ModelSpec.Group group = (ModelSpec.Group) entry;
                addDomain(group.key(), group.count());
                for (int i = 1; i <= group.maxCount(); i++) {
                    for (ModelSpec.LayerParam p : group.perLayer()) {
                        addDomain(p.key() + "_" + i, p.byLayer().get(i - 1));
                    }
                }
            }
        }
        if (options.multivariate()) {
            for (List<String> group : groups(model)) {
                List<String> searched = group.stream().filter(domains::containsKey).toList();
                if (!searched.isEmpty()) {
                    searched.forEach(key -> groupOf.put(key, groups.size()));
                    groups.add(searched);
                }
            }
        }
    }

    /**
     * Optuna's group decomposition, known here from the space instead of read from the trials: the keys every
     * network has (shared parameters, layer counts, and the layers below a group's smallest count) form the first
     * group; layer i of a group, where some networks lack it, is a group of its own. Fixed parameters included.
     */
    static List<List<String>> groups(ModelSpec model) {
        List<String> always = new ArrayList<>();
        List<List<String>> optional = new ArrayList<>();
        for (ModelSpec.Entry entry : model.entries()) {
            if (entry instanceof ModelSpec.Shared shared) {
                always.add(shared.key());
                continue;
            }
            ModelSpec.Group group = (ModelSpec.Group) entry;
            always.add(group.key());
            int minCount = group.count().discreteValues().orElseThrow().stream().mapToInt(v -> (Integer) v).min()
                    .orElseThrow();
            for (int i = 1; i <= group.maxCount(); i++) {
                List<String> layer = new ArrayList<>();
                for (ModelSpec.LayerParam p : group.perLayer()) {
                    layer.add(p.key() + "_" + i);
                }
                if (i <= minCount) {
                    always.addAll(layer);
                } else {
                    optional.add(layer);
                }
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(always);
        all.addAll(optional);
        return all;
    }

    private void addDomain(String key, Param param) {
        TpeDomain domain = TpeDomain.of(param);
        if (domain != null) {
            domains.put(key, domain);
        }
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        Set<String> known = new HashSet<>();
        int lastNumber = 0;
        for (TrialRecord t : trials) {
            known.add(t.params().key());
            lastNumber = Math.max(lastNumber, t.number());
        }
        // Proposals not yet in the run's list are being started: running trials, for the constant liar.
        List<TrialRecord> all = new ArrayList<>(trials);
        for (TrialParams p : proposed.values()) {
            if (known.add(p.key())) {
                all.add(new TrialRecord(++lastNumber, p, TrialState.RUNNING, null, new double[0]));
            }
        }
        if (spaceSize.isPresent() && BigInteger.valueOf(known.size()).compareTo(spaceSize.get()) >= 0) {
            return Optional.empty();
        }
        Random rng = new Random(mix(seed * 1_000_003L + all.size() + 1));
        List<TrialRecord> finished = all.stream().filter(TpeSplit::finished).toList();
        // Optuna's n_startup_trials: random until that many trials have finished (completed or pruned).
        Model tpe = finished.size() < options.startupTrials() ? null
                : new Model(TpeSplit.of(all, maximise, progress));
        if (tpe != null) {
            for (int attempt = 0; attempt < TPE_ATTEMPTS; attempt++) {
                Drawing drawing = new Drawing();
                TrialParams params = draw(key -> tpe.draw(key, rng, drawing, options.candidates()), rng);
                if (!known.contains(params.key())) {
                    return Optional.of(propose(params));
                }
            }
            // The acquisition only repeats known networks: its best of up to 'candidates' unseen ones from l(x).
            TrialParams best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            int unseen = 0;
            for (int i = 0; i < GOOD_DENSITY_DRAWS && unseen < options.candidates(); i++) {
                Drawing drawing = new Drawing();
                TrialParams params = draw(key -> tpe.draw(key, rng, drawing, 1), rng);
                if (!known.contains(params.key())) {
                    unseen++;
                    if (best == null || drawing.logRatio > bestScore) {
                        best = params;
                        bestScore = drawing.logRatio;
                    }
                }
            }
            if (best != null) {
                return Optional.of(propose(best));
            }
        }
        // In a finite space the last unseen networks take about size/left draws; allow far more than that.
        long draws = spaceSize.map(n -> Math.max(MIN_DRAWS, n.min(BigInteger.valueOf(1_000_000)).longValue() * 50))
                .orElse(MIN_DRAWS);
        for (long i = 0; i < draws; i++) {
            TrialParams params = draw(key -> domains.get(key).samplePrior(rng), rng);
            if (!known.contains(params.key())) {
                return Optional.of(propose(params));
            }
        }
        return Optional.empty();
    }

    private TrialParams propose(TrialParams params) {
        proposed.put(params.key(), params);
        return params;
    }

    /**
     * SplitMix64's finaliser: neighbouring trial numbers get unrelated generators (java.util.Random's first draws
     * from neighbouring seeds are correlated).
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The internal value of one searched parameter, by key. */
    private interface Draw {
        double of(String key);
    }

    /**
     * One network, its parameters drawn in the order of the space (layer counts before their layers), its map
     * built in exactly the order {@link ArbiterSpace} builds it, so that keys of equal networks compare equal.
     */
    private TrialParams draw(Draw draw, Random rng) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ModelSpec.Entry entry : model.entries()) {
            if (entry instanceof ModelSpec.Shared shared) {
                values.put(shared.key(), value(shared.key(), shared.param(), draw));
                continue;
            }
            ModelSpec.Group group = (ModelSpec.Group) entry;
            Object count = value(group.key(), group.count(), draw);
            values.put(group.key(), count);
            for (int i = 1; i <= ((Number) count).intValue(); i++) {
                for (ModelSpec.LayerParam p : group.perLayer()) {
                    String key = p.key() + "_" + i;
                    values.put(key, value(key, p.byLayer().get(i - 1), draw));
                }
            }
        }
        return new TrialParams(model.type(), values);
    }

    private Object value(String key, Param param, Draw draw) {
        if (param instanceof Param.Fixed fixed) {
            return fixed.value();
        }
        return domains.get(key).external(draw.of(key));
    }

    /**
     * One network being drawn: its groups' joint draws so far, and the sum of its drawn values' log l(x) - log g(x)
     * (its acquisition: the product of the ratios of its parameters, or groups, which TPE models independently).
     */
    private static final class Drawing {
        final Map<Integer, double[]> joint = new HashMap<>();
        double logRatio;
    }

    /** TPE over one split of the trials: estimators built per parameter (or group) on first use. */
    private final class Model {
        private final TpeSplit split;
        /** l(x) and g(x) per key; absent: not built yet. */
        private final Map<String, ParzenEstimator[]> estimators = new HashMap<>();
        /** The same per group, multivariate. */
        private final Map<Integer, MultivariateParzenEstimator[]> jointEstimators = new HashMap<>();

        Model(TpeSplit split) {
            this.split = split;
        }

        /**
         * {@code key}'s value in the network being drawn, the acquisition's best of {@code candidates} draws from
         * l(x); {@code drawing} holds the network's groups drawn so far and adds up its log l(x) - log g(x).
         */
        double draw(String key, Random rng, Drawing drawing, int candidates) {
            Integer group = groupOf.get(key);
            if (group == null) {
                return drawOne(key, rng, drawing, candidates);
            }
            double[] values = drawing.joint.computeIfAbsent(group, g -> drawGroup(g, rng, drawing, candidates));
            return values[groups.get(group).indexOf(key)];
        }

        private double[] drawGroup(int group, Random rng, Drawing drawing, int candidates) {
            List<String> keys = groups.get(group);
            MultivariateParzenEstimator[] lg = jointEstimators.computeIfAbsent(group, g -> buildGroup(keys));
            return TpeSampler.draw(lg[0], lg[1], candidates, rng, drawing);
        }

        private MultivariateParzenEstimator[] buildGroup(List<String> keys) {
            List<TpeDomain> groupDomains = keys.stream().map(domains::get).toList();
            double[][] below = observations(split.below(), keys, groupDomains);
            double[][] above = observations(split.above(), keys, groupDomains);
            return new MultivariateParzenEstimator[]{
                    MultivariateParzenEstimator.of(groupDomains, below, options.priorWeight()),
                    MultivariateParzenEstimator.of(groupDomains, above, options.priorWeight())};
        }

        private double drawOne(String key, Random rng, Drawing drawing, int candidates) {
            TpeDomain domain = domains.get(key);
            ParzenEstimator[] lg = estimators.computeIfAbsent(key, k -> build(k, domain));
            return TpeSampler.draw(lg[0], lg[1], candidates, rng, drawing);
        }

        private ParzenEstimator[] build(String key, TpeDomain domain) {
            double[] below = observations(split.below(), key, domain);
            double[] above = observations(split.above(), key, domain);
            return new ParzenEstimator[]{ParzenEstimator.of(domain, below, options.priorWeight()),
                    ParzenEstimator.of(domain, above, options.priorWeight())};
        }
    }

    /** The trials' internal values of {@code key}, in their order; trials without it (or a misfit) are skipped. */
    static double[] observations(List<TrialRecord> trials, String key, TpeDomain domain) {
        List<Double> out = new ArrayList<>();
        for (TrialRecord t : trials) {
            Object value = t.params().asMap().get(key);
            if (value != null) {
                OptionalDouble internal = domain.internal(value);
                internal.ifPresent(out::add);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The trials' internal values of the {@code keys}, in their order; trials lacking one (or a misfit) skipped. */
    static double[][] observations(List<TrialRecord> trials, List<String> keys, List<TpeDomain> domains) {
        return trials.stream().map(t -> internal(t, keys, domains)).filter(java.util.Objects::nonNull)
                .toArray(double[][]::new);
    }

    /** One trial's internal values of the {@code keys}; null when it lacks one or one does not fit. */
    private static double[] internal(TrialRecord t, List<String> keys, List<TpeDomain> domains) {
        double[] x = new double[keys.size()];
        for (int j = 0; j < x.length; j++) {
            Object value = t.params().asMap().get(keys.get(j));
            OptionalDouble internal = value == null ? OptionalDouble.empty() : domains.get(j).internal(value);
            if (internal.isEmpty()) {
                return null;
            }
            x[j] = internal.getAsDouble();
        }
        return x;
    }

    /**
     * The joint acquisition: {@code candidates} draws from l, the first with the largest log l(x) - log g(x), which
     * is added to {@code drawing}'s.
     */
    private static double[] draw(MultivariateParzenEstimator l, MultivariateParzenEstimator g, int candidates,
                                 Random rng, Drawing drawing) {
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            double[] x = l.sample(rng);
            double score = l.logPdf(x) - g.logPdf(x);
            if (c == 0 || score > bestScore) {
                best = x;
                bestScore = score;
            }
        }
        drawing.logRatio += bestScore;
        return best;
    }

    /**
     * Optuna's acquisition: {@code candidates} draws from l, the first with the largest log l(x) - log g(x), which
     * is added to {@code drawing}'s. Grid and categorical draws repeat, so each value's ratio is worked out once.
     */
    private static double draw(ParzenEstimator l, ParzenEstimator g, int candidates, Random rng, Drawing drawing) {
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        Map<Double, Double> scores = new HashMap<>();
        for (int c = 0; c < candidates; c++) {
            double x = l.sample(rng);
            double score = scores.computeIfAbsent(x, v -> l.logPdf(v) - g.logPdf(v));
            if (c == 0 || score > bestScore) {
                best = x;
                bestScore = score;
            }
        }
        drawing.logRatio += bestScore;
        return best;
    }
}
