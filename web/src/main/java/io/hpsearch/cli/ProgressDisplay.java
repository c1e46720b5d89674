package io.hpsearch.cli;

import io.hpsearch.runner.Parallelism;
import io.hpsearch.runner.RunListener;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shows a run as it goes: on a terminal, one progress bar for the run (in trials, fractions included) with the
 * trials in flight beside it; elsewhere (logs, CI) a line per epoch and per trial.
 */
final class ProgressDisplay implements RunListener, AutoCloseable {
    private final PrintWriter out;
    private final SpaceSpec space;
    private final boolean terminal = System.console() != null;
    /** Trial number -> fraction of its training done. */
    private final Map<Integer, Double> inFlight = new TreeMap<>();
    private int finished;
    private ProgressBar bar;

    ProgressDisplay(PrintWriter out, SpaceSpec space) {
        this.out = out;
        this.space = space;
    }

    @Override
    public synchronized void runStarted(long runId, String name, int plannedTrials) {
        String search = Samplers.describe(space);
        String what = String.format(Locale.ROOT, "Run %d '%s': %s, %d trial(s) of %d epoch(s), objective %s%s",
                runId, name, search, plannedTrials, space.training().epochs(), space.objective().key(),
                space.timeBudget().map(b -> ", at most " + SpaceSpec.minutesText(b) + " min (max_minutes)")
                        .orElse(""));
        out.println(what);
        out.flush();
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName("Run " + runId).setInitialMax(plannedTrials * 100L)
                    .setUnit(" trials", 100).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
        }
    }

    @Override
    public synchronized void parallelismChosen(Parallelism parallelism) {
        out.println("Training on " + parallelism.describe() + ": " + parallelism.reason());
        out.flush();
    }

    @Override
    public synchronized void trialStarted(int number, TrialParams params) {
        inFlight.put(number, 0.0);
        if (!terminal) {
            out.println("trial " + number + " started: " + params.asMap());
            out.flush();
        }
    }

    @Override
    public synchronized void batchEnded(int number, int epoch, int batch, int batchesPerEpoch) {
        inFlight.put(number, ((epoch - 1) + (double) batch / batchesPerEpoch) / space.training().epochs());
        refresh();
    }

    @Override
    public synchronized void epochEnded(int number, EpochMetrics m) {
        if (!terminal) {
            out.printf(Locale.ROOT, "trial %d epoch %d/%d: train_loss %.4f, val_loss %.4f, val_accuracy %.4f (%.1f s)%n",
                    number, m.epoch(), space.training().epochs(), m.trainLoss(), m.valLoss(), m.valAccuracy(),
                    m.seconds());
            out.flush();
        }
    }

    @Override
    public synchronized void trialNote(int number, String note) {
        out.println(note);
        out.flush();
    }

    @Override
    public synchronized void trialLeft(int number, String note) {
        inFlight.remove(number);
        refresh();
        trialNote(number, note);
    }

    @Override
    public synchronized void trialFinished(int number, TrialState state, Double score, String reason) {
        inFlight.remove(number);
        finished++;
        refresh();
        if (!terminal) {
            out.println("trial " + number + " " + state.name().toLowerCase(Locale.ROOT)
                    + (score != null ? String.format(Locale.ROOT, ": %s %.4f", space.objective().key(), score) : "")
                    + (reason != null ? ": " + reason : ""));
            out.flush();
        }
    }

    @Override
    public synchronized void testStarting(int trialNumber) {
        close();
        out.println("Evaluating the best network (trial " + trialNumber + ") on the test set");
        out.flush();
    }

    private void refresh() {
        if (bar == null) {
            return;
        }
        double running = inFlight.values().stream().mapToDouble(Double::doubleValue).sum();
        bar.stepTo(Math.round((finished + running) * 100));
        StringBuilder extra = new StringBuilder();
        inFlight.forEach((n, f) -> extra.append(String.format(Locale.ROOT, " trial %d %.0f%%", n, f * 100)));
        bar.setExtraMessage(extra.toString().trim());
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
