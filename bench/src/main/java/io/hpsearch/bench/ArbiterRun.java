package io.hpsearch.bench;

import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.deeplearning4j.arbiter.task.MultiLayerNetworkTaskCreator;
import org.deeplearning4j.arbiter.task.TaskListener;
import io.hpsearch.trainer.NativeThreads;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.Map;

/**
 * Arbiter's own runner on the same networks: {@link LocalOptimizationRunner} with
 * {@link MultiLayerNetworkTaskCreator}, fixed epochs, validation accuracy as the score. The candidates are the
 * workload's configurations handed over as they are, so Arbiter trains exactly what hpsearch trains.
 */
final class ArbiterRun {
    private ArbiterRun() {
    }

    /**
     * Wall seconds of the whole Arbiter run; fails if any candidate failed.
     *
     * @param threads ND4J threads, set on each of Arbiter's task threads before it trains (OpenMP counts per thread)
     */
    static double run(Workload workload, List<DataSet> train, List<DataSet> validation, int concurrency,
                      int threads) {
        var config = new OptimizationConfiguration.Builder()
                .candidateGenerator(new FixedCandidates(workload))
                .dataProvider(new Batches(train, validation))
                .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                .terminationConditions(new MaxCandidatesCondition(workload.networks.size()))
                .build();
        var runner = new LocalOptimizationRunner(concurrency, config, new MultiLayerNetworkTaskCreator(null,
                new TaskListener() {
                    @Override
                    public <T extends Model> T preProcess(T network, Candidate candidate) {
                        NativeThreads.configure(threads);
                        return network;
                    }

                    @Override
                    public void postProcess(Model network, Candidate candidate) {
                    }
                }));
        long start = System.nanoTime();
        runner.execute();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (runner.numCandidatesCompleted() != workload.networks.size()) {
            throw new IllegalStateException("Arbiter completed " + runner.numCandidatesCompleted() + " of "
                    + workload.networks.size() + " candidates (" + runner.numCandidatesFailed() + " failed)");
        }
        return seconds;
    }

    /** The workload's networks, in order, as Arbiter candidates. */
    private static final class FixedCandidates implements CandidateGenerator {
        private final Workload workload;
        private int next;

        FixedCandidates(Workload workload) {
            this.workload = workload;
        }

        @Override
        public boolean hasMoreCandidates() {
            return next < workload.networks.size();
        }

        @Override
        public Candidate getCandidate() {
            var conf = workload.networks.get(next).conf();
            return new Candidate<>(new DL4JConfiguration(conf, null, workload.epochs()), next++, new double[0]);
        }

        @Override
        public void reportResults(OptimizationResult result) {
        }

        @Override
        public ParameterSpace<?> getParameterSpace() {
            return null;
        }

        @Override
        public void setRngSeed(long seed) {
        }

        @Override
        public Class<?> getCandidateType() {
            return DL4JConfiguration.class;
        }
    }

    /** The same minibatches the plain loop uses; every task gets its own iterator over them. */
    private record Batches(List<DataSet> train, List<DataSet> validation) implements DataProvider {
        @Override
        public Object trainData(Map<String, Object> parameters) {
            return new ExistingDataSetIterator(train);
        }

        @Override
        public Object testData(Map<String, Object> parameters) {
            return new ExistingDataSetIterator(validation);
        }

        @Override
        public Class<?> getDataType() {
            return DataSetIterator.class;
        }
    }
}
