/*
 * "/runs/{id}/trials/{n}": one trial's parameters, learning curves and network.
 * Re-fetched every 2 s while the trial is running.
 */
"use strict";

(() => {
  const { el, byId, fmt } = HP;
  const ids = HP.pathIds();
  let runDetail = null; // the run's detail: fetched once, it gives the run's name, objective and parameter order

  function renderHeader(trial) {
    document.title = `Trial ${trial.number} · ${runDetail.run.name} · hpsearch`;
    const back = byId("run-link");
    back.href = `/runs/${ids.run}`;
    back.textContent = `← ${runDetail.run.name}`;
    byId("trial-title").textContent = `Trial ${trial.number}`;
    HP.setStatus(byId("trial-state"), trial.state);
    byId("trial-best").hidden = !trial.best;

    const failure = byId("failure-reason");
    failure.textContent = trial.failureReason || "";
    failure.hidden = !trial.failureReason;

    byId("trial-score-label").textContent = runDetail.run.objective;
    byId("trial-score").textContent = fmt.score(trial.score)
      + (HP.isBlank(trial.scoreStd) ? "" : ` ± ${fmt.score(trial.scoreStd)}`);
    byId("trial-rank").textContent = fmt.value(trial.rank);
    // Early stopping keeps the weights of its best epoch: say which, and where training stopped.
    byId("trial-epochs").textContent = fmt.value(trial.epochs)
      + (!HP.isBlank(trial.bestEpoch) && trial.bestEpoch !== trial.stoppedEpoch ? ` (best: ${trial.bestEpoch})` : "");
    byId("trial-duration").textContent = fmt.duration(trial.durationSeconds);
    byId("trial-started").textContent = fmt.dateTime(trial.startedAt);
  }

  /** The trial's parameters in the run's column order; any the run does not list come after. */
  function renderParams(params) {
    const names = runDetail.params.filter((name) => name in params)
      .concat(Object.keys(params).filter((name) => !runDetail.params.includes(name)));
    byId("trial-params").tBodies[0].replaceChildren(...names.map((name) =>
      el("tr", { dataset: { param: name } },
        el("td", { text: name }),
        el("td", { className: typeof params[name] === "number" ? "num" : null, text: fmt.value(params[name]) }))));
  }

  /**
   * Losses on the left axis, validation accuracy on the right one; one line per metric and execution when the
   * trial trained several times (executions_per_trial).
   */
  function drawCurves(epochs) {
    const executions = [...new Set(epochs.map((e) => e.execution || 1))];
    const epochCount = epochs.reduce((max, e) => Math.max(max, e.epoch), 0);
    const metrics = [
      { name: "train loss", key: "trainLoss", yAxisIndex: 0 },
      { name: "validation loss", key: "valLoss", yAxisIndex: 0 },
      { name: "validation accuracy", key: "valAccuracy", yAxisIndex: 1 },
    ];
    const series = executions.flatMap((execution) => metrics.map(({ name, key, yAxisIndex }) => {
      const data = new Array(epochCount).fill(null);
      epochs.filter((e) => (e.execution || 1) === execution)
        .forEach((e) => { data[e.epoch - 1] = HP.isBlank(e[key]) ? null : e[key]; });
      return {
        name: executions.length > 1 ? `${name} (execution ${execution})` : name,
        type: "line",
        yAxisIndex,
        symbolSize: 7,
        data,
      };
    }));
    const points = series.reduce((sum, s) => sum + s.data.filter((v) => v !== null).length, 0);

    HP.drawChart(byId("curves-chart"), {
      legend: { top: 8 },
      grid: { left: 70, right: 70, top: 50, bottom: 50 },
      tooltip: HP.tooltip("axis", (items) => [`Epoch ${items[0].name}`,
        items.map((item) => [item.seriesName, fmt.score(item.value)])]),
      xAxis: { type: "category", name: "epoch", nameLocation: "middle", nameGap: 30,
        data: Array.from({ length: epochCount }, (_, i) => String(i + 1)) },
      yAxis: [
        { type: "value", name: "loss", scale: true },
        { type: "value", name: "accuracy", scale: true, splitLine: { show: false } },
      ],
      series,
    }, points, "No epoch finished yet");
  }

  function renderNetwork(network) {
    byId("param-count").textContent = fmt.integer(network && network.totalParams);
    const layers = (network && network.layers) || [];
    byId("network").tBodies[0].replaceChildren(...layers.map((layer, position) =>
      el("tr", {},
        el("td", { className: "num", text: String(HP.isBlank(layer.index) ? position : layer.index) }),
        el("td", { text: layer.type }),
        el("td", { className: "num", text: fmt.integer(layer.inputs) }),
        el("td", { className: "num", text: fmt.integer(layer.units) }),
        el("td", { text: fmt.value(layer.activation) }),
        el("td", { className: "num", text: fmt.value(layer.dropout) }),
        el("td", { className: "num", text: fmt.integer(layer.params) }))));
  }

  async function load() {
    if (!Number.isInteger(ids.trial)) throw new Error(`Not a trial page: ${location.pathname}`);
    const [detail, data] = await Promise.all([
      runDetail || HP.getJson(`/api/runs/${ids.run}`),
      HP.getJson(`/api/runs/${ids.run}/trials/${ids.trial}`),
    ]);
    runDetail = detail;
    renderHeader(data.trial);
    renderParams(data.trial.params || {});
    renderNetwork(data.network);
    drawCurves(data.epochs || []);
    return data.trial.state === "RUNNING";
  }

  HP.poll(load, 2000);
})();
