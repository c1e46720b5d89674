/*
 * "/runs/{id}": a run's summary, its trials (sortable, filterable), charts, test-set results and space.
 * Re-fetched every 2 s while the run is queued or running; the user's sort and filter survive each refresh.
 */
"use strict";

(() => {
  const { el, byId, fmt } = HP;
  const runId = HP.pathIds().run;
  const PROVENANCE_LABELS = { java: "Java", dl4j: "DL4J", hpsearch: "hpsearch" };

  // Trials fetched for the first paint: the top of the ranking, whatever the size of the run.
  const FIRST_PAINT_TRIALS = 100;
  // What the trials table shows: the latest data, plus the user's choices.
  const view = { detail: null, trials: [], columns: [], columnsKey: null, sortKey: null, order: "asc", filter: "" };
  // Importance is fetched again only when the number of completed trials changes (its forest costs CPU).
  let importanceFor = null;

  // ---------- summary ----------

  function renderSummary(detail) {
    const run = detail.run;
    document.title = `${run.name} · hpsearch`;
    byId("run-name").textContent = run.name;
    HP.setStatus(byId("run-status"), run.status);
    byId("cancel-run").hidden = !HP.isActive(run.status);

    byId("run-meta").textContent = [
      `${run.search} search`,
      `objective ${run.objective} (${run.maximise ? "maximised" : "minimised"})`,
      `seed ${run.seed}`,
      `up to ${run.maxTrials} trials`,
      `started ${fmt.dateTime(run.createdAt)}`,
      run.finishedAt ? `finished ${fmt.dateTime(run.finishedAt)}` : null,
      `duration ${fmt.duration(run.durationSeconds)}`,
    ].filter(Boolean).join(" · ");
    byId("provenance").textContent = Object.entries(detail.provenance || {})
      .map(([key, version]) => `${PROVENANCE_LABELS[key] || key} ${version}`).join(" · ");

    const message = byId("run-message");
    message.textContent = run.message || "";
    message.hidden = !run.message;
    message.classList.toggle("failure", run.status === "FAILED");

    byId("count-completed").textContent = fmt.integer(run.completed);
    byId("count-pruned").textContent = fmt.integer(run.pruned);
    byId("count-failed").textContent = fmt.integer(run.failed);
    byId("count-cancelled").textContent = fmt.integer(run.cancelled);
    byId("count-running").textContent = fmt.integer(run.running);
    byId("count-total").textContent = `${fmt.integer(run.total)} / ${fmt.integer(run.maxTrials)}`;
    byId("best-score-label").textContent = `Best ${run.objective}`;
    byId("best-score").textContent = fmt.score(run.bestScore);

    // The best network can be downloaded once a trial has completed (the server answers 404 before).
    const hasModel = run.completed > 0;
    const modelLink = byId("model-link");
    modelLink.href = `/api/runs/${runId}/model`;
    modelLink.hidden = !hasModel;
    byId("predict-command").textContent = `./hpsearch predict ${runId} INPUT`;
    byId("model-hint").hidden = !hasModel;

    byId("space-yaml").textContent = detail.spaceYaml || "";
    byId("resolved-space").textContent = JSON.stringify(detail.resolvedSpace, null, 2);
  }

  // ---------- trials table ----------

  function trialLink(trial) {
    return el("a", { className: "trial-link", href: `/runs/${runId}/trials/${trial.number}`, text: String(trial.number) });
  }

  /** The table's columns; key is both the th's data-sort and the td's data-col. */
  function columnsFor(detail) {
    return [
      { key: "rank", label: "Rank", value: (t) => t.rank },
      { key: "number", label: "Trial", value: (t) => t.number, cell: trialLink },
      ...detail.params.map((name) => ({ key: name, label: name, value: (t) => (t.params || {})[name] })),
      { key: "score", label: detail.run.objective, value: (t) => t.score, format: fmt.score },
      // Only runs with executions_per_trial > 1 have a spread to show.
      ...(detail.run.executions > 1
        ? [{ key: "scoreStd", label: "± std", value: (t) => t.scoreStd, format: fmt.score }] : []),
      { key: "epochs", label: "Epochs", value: (t) => t.epochs },
      { key: "duration", label: "Duration", value: (t) => t.durationSeconds, format: fmt.duration },
      { key: "state", label: "Status", value: (t) => t.state, cell: (t) => HP.statusBadge(t.state) },
      // Which machine and process trained it; "retried" when its first worker died.
      { key: "host", label: "Host", value: (t) => (t.host ? `${t.host} (${t.pid})${t.retries ? ", retried" : ""}` : null) },
      { key: "failureReason", label: "Reason", value: (t) => t.failureReason, className: "wrap" },
    ];
  }

  function renderHeader() {
    const row = el("tr", {}, ...view.columns.map((column) =>
      el("th", { dataset: { sort: column.key }, scope: "col" }, el("button", { type: "button", text: column.label }))));
    byId("trials").tHead.replaceChildren(row);
  }

  /** Arrow and data-sorted on the sorted column; numbers right-aligned (a column is numeric if any value is). */
  function updateHeader() {
    view.columns.forEach((column, i) => {
      const th = byId("trials").tHead.rows[0].cells[i];
      const sorted = column.key === view.sortKey;
      if (sorted) th.dataset.sorted = view.order;
      else delete th.dataset.sorted;
      th.setAttribute("aria-sort", sorted ? (view.order === "asc" ? "ascending" : "descending") : "none");
      column.numeric = view.trials.some((t) => typeof column.value(t) === "number");
      th.classList.toggle("num", column.numeric);
    });
  }

  function compareValues(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }

  /** Sorted copy; blanks go last in either direction, ties by trial number. */
  function sortTrials(trials, column, order) {
    const sign = order === "desc" ? -1 : 1;
    return trials.slice().sort((x, y) => {
      const a = column.value(x);
      const b = column.value(y);
      const blanks = Number(HP.isBlank(a)) - Number(HP.isBlank(b));
      if (blanks !== 0) return blanks;
      const byValue = HP.isBlank(a) ? 0 : sign * compareValues(a, b);
      return byValue || x.number - y.number;
    });
  }

  function trialRow(trial) {
    const cells = view.columns.map((column) => {
      const v = column.value(trial);
      const className = column.className || (column.numeric ? "num" : null);
      const content = column.cell ? column.cell(trial) : (column.format || fmt.value)(v);
      return el("td", { dataset: { col: column.key }, className }, content);
    });
    return el("tr", { dataset: { trial: trial.number }, className: trial.best ? "best" : null }, ...cells);
  }

  function renderTrials() {
    const key = JSON.stringify([view.detail.params, view.detail.run.objective]);
    if (key !== view.columnsKey) {
      view.columns = columnsFor(view.detail);
      view.columnsKey = key;
      renderHeader();
    }
    updateHeader();

    let shown = view.filter ? view.trials.filter((t) => t.state.toLowerCase() === view.filter) : view.trials;
    const sortColumn = view.columns.find((column) => column.key === view.sortKey);
    if (sortColumn) shown = sortTrials(shown, sortColumn, view.order);
    byId("trials").tBodies[0].replaceChildren(...shown.map(trialRow));
    byId("trial-count").textContent = `${shown.length} of ${view.trials.length} trials`;
  }

  function onHeaderClick(event) {
    const th = event.target.closest("th[data-sort]");
    if (!th || !view.detail) return;
    if (view.sortKey === th.dataset.sort) {
      view.order = view.order === "asc" ? "desc" : "asc";
    } else {
      view.sortKey = th.dataset.sort;
      view.order = "asc";
    }
    renderTrials();
  }

  // ---------- charts ----------

  function completedTrials(trials) {
    return trials.filter((t) => t.state === "COMPLETED" && !HP.isBlank(t.score)).sort((a, b) => a.number - b.number);
  }

  /** Pruned trials with a score (their last epoch's value), by number. */
  function prunedTrials(trials) {
    return trials.filter((t) => t.state === "PRUNED" && !HP.isBlank(t.score)).sort((a, b) => a.number - b.number);
  }

  /**
   * Each completed trial's score, the best score so far in the objective's direction, and the pruned trials' last
   * values in their own colour and marker (they never count towards the best).
   */
  function drawHistory(run, done, pruned) {
    let best = null;
    const bestSoFar = done.map((t) => {
      if (best === null || (run.maximise ? t.score > best : t.score < best)) best = t.score;
      return [t.number, best];
    });
    const chart = HP.drawChart(byId("history-chart"), {
      legend: { top: 8 },
      grid: { left: 70, right: 30, top: 50, bottom: 50 },
      tooltip: HP.tooltip("item", (p) => [`Trial ${p.value[0]}`, [[p.seriesName, fmt.score(p.value[1])]]]),
      // One trial's room past the last one, so that its point is not drawn on the chart's edge.
      xAxis: { type: "value", name: "trial", nameLocation: "middle", nameGap: 30, minInterval: 1,
               min: 0, max: (extent) => Math.ceil(extent.max) + 1 },
      yAxis: { type: "value", name: run.objective, scale: true },
      series: [
        { name: run.objective, type: "scatter", symbolSize: 10, data: done.map((t) => [t.number, t.score]) },
        { name: "best so far", type: "line", step: "end", symbol: "none", data: bestSoFar },
        { name: "pruned (last value)", type: "scatter", symbol: "triangle", symbolSize: 10,
          itemStyle: { color: HP.PRUNED_COLOUR }, data: pruned.map((t) => [t.number, t.score]) },
      ],
    }, done.length + bestSoFar.length + pruned.length, "No completed trials yet");
    // A click on a trial's point opens that trial.
    chart.off("click");
    chart.on("click", (p) => {
      if (p.seriesType === "scatter") location.assign(`/runs/${runId}/trials/${p.value[0]}`);
    });
  }

  /**
   * Optuna's intermediate-values plot: one line per trial, its objective after each epoch. Lines are grouped into
   * three series (completed, pruned, the others) with gaps between trials, so that thousands of trials stay three
   * series; each line's last point is a marker, a square for a pruned trial, which shows where the pruner cut.
   */
  function drawIntermediate(run, curves) {
    const groups = [
      { name: "completed", colour: HP.PALETTE[0], symbol: "circle", size: 5, test: (s) => s === "COMPLETED" },
      { name: "pruned", colour: HP.PRUNED_COLOUR, symbol: "rect", size: 8, test: (s) => s === "PRUNED" },
      { name: "running, failed or stopped", colour: HP.PALETTE[9], symbol: "circle", size: 5,
        test: (s) => s !== "COMPLETED" && s !== "PRUNED" },
    ];
    let points = 0;
    const series = groups.flatMap((group) => {
      const line = [];
      const ends = [];
      curves.filter((c) => group.test(c.state)).forEach((c) => {
        let last = null;
        c.values.forEach((v, i) => {
          if (HP.isBlank(v)) {
            line.push([i + 1, "-"]); // a diverged epoch: a gap
            return;
          }
          line.push([i + 1, v]);
          last = [i + 1, v, c.number, c.state];
          points++;
        });
        line.push([c.values.length + 1, "-"]); // ends this trial's line
        if (last) ends.push(last);
      });
      return [
        { name: group.name, type: "line", data: line, showSymbol: false, connectNulls: false, silent: true,
          lineStyle: { color: group.colour, width: 1.2, opacity: 0.55 }, itemStyle: { color: group.colour } },
        { name: group.name, type: "scatter", data: ends, symbol: group.symbol, symbolSize: group.size,
          itemStyle: { color: group.colour } },
      ];
    });
    const chart = HP.drawChart(byId("intermediate-chart"), {
      legend: { top: 8, data: groups.map((g) => g.name) },
      grid: { left: 70, right: 30, top: 50, bottom: 50 },
      tooltip: HP.tooltip("item", (p) => [`Trial ${p.value[2]}`,
        [["state", String(p.value[3]).toLowerCase()], ["last epoch", fmt.integer(p.value[0])],
         [run.objective, fmt.score(p.value[1])]]]),
      xAxis: { type: "value", name: "epoch", nameLocation: "middle", nameGap: 30, minInterval: 1, min: 1 },
      yAxis: { type: "value", name: run.objective, scale: true },
      series,
    }, points, "No epoch finished yet");
    chart.off("click");
    chart.on("click", (p) => {
      if (p.seriesType === "scatter") location.assign(`/runs/${runId}/trials/${p.value[2]}`);
    });
  }

  /** Parameters by their share of the objective's variance (the server's fANOVA), largest at the top. */
  function drawImportance(result) {
    const items = result.importances || [];
    const notes = [];
    if (result.reason) notes.push(result.reason + ".");
    else notes.push(`${result.method}, from ${fmt.integer(result.trials)} completed trials.`);
    if ((result.excluded || []).length) {
      notes.push(`Not measured (not every completed trial has them): ${result.excluded.join(", ")}.`);
    }
    byId("importance-note").textContent = notes.join(" ");
    HP.drawChart(byId("importance-chart"), {
      grid: { left: 150, right: 60, top: 20, bottom: 40 },
      tooltip: HP.tooltip("item", (p) => [p.name, [["importance", fmt.percent(p.value)]]]),
      xAxis: { type: "value", name: "share of variance", nameLocation: "middle", nameGap: 26, min: 0, max: 1 },
      yAxis: { type: "category", inverse: true, data: items.map((i) => i.param),
               axisLabel: { interval: 0, width: 140, overflow: "truncate" } },
      series: [{ type: "bar", data: items.map((i) => i.importance), barMaxWidth: 24,
                 label: { show: true, position: "right", formatter: (p) => fmt.percent(p.value) } }],
    }, items.length, "No importances yet");
  }

  /**
   * What the run's resolved space says of a parameter: its own key, or for a per-layer key (units_2) its base
   * key's (units), that layer's entry when the base key lists one per layer. Undefined when the space is silent.
   */
  function paramDefinition(model, name) {
    const has = (key) => model && Object.prototype.hasOwnProperty.call(model, key);
    if (has(name)) return model[name];
    const match = /^(.+)_(\d+)$/.exec(name);
    if (!match || !has(match[1])) return undefined;
    const base = model[match[1]];
    return base && Array.isArray(base.per_layer) ? base.per_layer[Number(match[2]) - 1] : base;
  }

  /**
   * A parameter's axis: a choice is a category axis with the choices in their written order (then any other value
   * the trials have), a log range a log axis, other numbers a value axis; without a definition, from the values.
   */
  function axisFor(definition, values, dim, name) {
    if (definition && Array.isArray(definition.choice)) {
      const categories = definition.choice.map(String);
      values.map(String).forEach((v) => { if (!categories.includes(v)) categories.push(v); });
      return { dim, name, type: "category", data: categories };
    }
    const numeric = values.every((v) => typeof v === "number");
    if (numeric && definition && definition.log === true && values.every((v) => v > 0)) {
      return { dim, name, type: "log" };
    }
    if (numeric) return { dim, name, type: "value", scale: true };
    const categories = [...new Set(values.map(String))].sort((a, b) => compareValues(a, b));
    return { dim, name, type: "category", data: categories };
  }

  /** One axis per parameter (its kind from the run's space), the score last, coloured by score. */
  function drawParallel(detail, done) {
    const { run, params } = detail;
    const model = (detail.resolvedSpace || {}).model || {};
    const axes = params.map((name, dim) => {
      const values = done.map((t) => (t.params || {})[name]).filter((v) => !HP.isBlank(v));
      return axisFor(paramDefinition(model, name), values, dim, name);
    });
    axes.push({ dim: params.length, name: run.objective, type: "value", scale: true });

    const data = done.map((t) => ({
      name: `Trial ${t.number}`,
      value: [
        ...params.map((name, i) => {
          const v = (t.params || {})[name];
          if (HP.isBlank(v)) return null; // e.g. the units of a layer this network does not have: no point
          return axes[i].type === "category" ? String(v) : v;
        }),
        t.score,
      ],
    }));
    const scores = done.map((t) => t.score);
    const colours = run.maximise ? HP.SEQUENTIAL : HP.SEQUENTIAL.slice().reverse(); // best is always yellow

    HP.drawChart(byId("parallel-chart"), {
      parallel: { left: 60, right: 130, top: 70, bottom: 40 },
      parallelAxis: axes,
      parallelAxisDefault: { nameLocation: "end", nameGap: 16, nameRotate: 25, nameTextStyle: { fontSize: 12 } },
      visualMap: {
        type: "continuous",
        dimension: params.length,
        min: scores.length ? Math.min(...scores) : 0,
        max: scores.length ? Math.max(...scores) : 1,
        precision: 4,
        calculable: true,
        right: 10,
        top: "middle",
        text: [run.objective, ""],
        inRange: { color: colours },
      },
      tooltip: HP.tooltip("item", (p) => [p.name, axes.map((axis, i) =>
        [axis.name, i === params.length ? fmt.score(p.value[i]) : fmt.value(p.value[i])])]),
      series: [{
        type: "parallel",
        lineStyle: { width: 2, opacity: 0.75 },
        emphasis: { lineStyle: { width: 4, opacity: 1 } },
        data,
      }],
    }, data.length, "No completed trials yet");
  }

  // ---------- data ----------

  /** Lists with more entries than this start collapsed. */
  const OPEN_UP_TO = 20;

  /** The run's data record, or null while there is none (not started yet, or recorded by an older hpsearch). */
  function dataOf(detail) {
    const data = detail.data;
    return data && typeof data === "object" && Object.keys(data).length > 0 ? data : null;
  }

  /** Images have channels; tables only features. */
  function isImages(data) {
    return Boolean(data && data.shape && !HP.isBlank(data.shape.channels));
  }

  /** "28x28 grey", "32x32 RGB", "64x64, 4 channels", or "54 features". */
  function describeShape(shape) {
    if (!shape) return HP.DASH;
    if (HP.isBlank(shape.channels)) return `${fmt.integer(shape.features)} features`;
    const size = `${shape.height}x${shape.width}`;
    const channels = Number(shape.channels);
    if (channels === 1) return `${size} grey`;
    if (channels === 3) return `${size} RGB`;
    return `${size}, ${fmt.integer(channels)} channels`;
  }

  /** The last two segments of a path: "/abs/data/fashion/train.csv" -> "…/fashion/train.csv". */
  function shortPath(path) {
    const text = String(path || "");
    const parts = text.split(/[\\/]+/).filter(Boolean);
    return parts.length > 2 ? `…/${parts.slice(-2).join("/")}` : text;
  }

  function fileRow(file) {
    const sha = String(file.sha256 || "");
    return el("tr", {},
      el("td", { text: fmt.value(file.role) }),
      el("td", { className: "path", title: file.path }, shortPath(file.path), skippedNote(file)),
      el("td", { className: "hash", title: sha || null, text: sha ? sha.slice(0, 12) : HP.DASH }));
  }

  /** A folder's entries the run did not read (a .webp photo, a nested folder), the first names in the tooltip. */
  function skippedNote(file) {
    const count = Number(file.skipped) || 0;
    if (count <= 0) return null;
    const names = Array.isArray(file.skipped_entries) ? file.skipped_entries.map(String) : [];
    return el("div", {
      className: "muted skipped",
      title: names.length ? names.join("\n") + (names.length < count ? "\n..." : "") : null,
      text: count === 1 ? "1 entry skipped: not an image hpsearch reads"
        : `${fmt.integer(count)} entries skipped: not images hpsearch reads`,
    });
  }

  /** A count from one part's per-class list, "-" where the record has none. */
  function classCount(data, part, index) {
    const counts = (data.class_counts || {})[part];
    return fmt.integer(Array.isArray(counts) ? counts[index] : null);
  }

  function renderData(detail) {
    const data = dataOf(detail);
    const pending = byId("data-pending");
    byId("data-details").hidden = !data;
    pending.hidden = Boolean(data);
    if (!data) {
      pending.textContent = HP.isActive(detail.run.status)
        ? "The data is recorded when the run starts."
        : "This run recorded no data: it stopped before reading it, or an older hpsearch made it "
          + "(those trained on Fashion-MNIST).";
      return;
    }
    const counts = data.counts || {};
    byId("data-type").textContent = fmt.value(data.type);
    byId("data-train").textContent = fmt.integer(counts.train);
    byId("data-validation").textContent = fmt.integer(counts.validation);
    byId("data-test").textContent = fmt.integer(counts.test);
    byId("data-shape").textContent = describeShape(data.shape);
    byId("data-files").tBodies[0].replaceChildren(...(data.files || []).map(fileRow));

    const features = Array.isArray(data.features) ? data.features : [];
    const featureBox = byId("data-features");
    featureBox.hidden = features.length === 0;
    byId("data-features-summary").textContent =
      `${fmt.integer(features.length)} feature${features.length === 1 ? "" : "s"}`;
    const featureKey = JSON.stringify(features);
    if (featureBox.dataset.key !== featureKey) { // the user's open or closed choice survives each refresh
      featureBox.dataset.key = featureKey;
      featureBox.open = features.length <= OPEN_UP_TO;
      byId("feature-list").replaceChildren(...features.map((name) => el("li", { text: fmt.value(name) })));
    }

    const classes = Array.isArray(data.classes) ? data.classes : [];
    const classBox = byId("data-classes");
    byId("data-classes-summary").textContent = `${fmt.integer(classes.length)} classes`;
    const classKey = JSON.stringify([classes, data.class_counts]);
    if (classBox.dataset.key !== classKey) {
      classBox.dataset.key = classKey;
      classBox.open = classes.length <= OPEN_UP_TO;
      byId("class-counts").tBodies[0].replaceChildren(...classes.map((name, i) =>
        el("tr", { dataset: { class: i } },
          el("td", { className: "num", text: String(i) }),
          el("td", { text: fmt.value(name) }),
          el("td", { className: "num", text: classCount(data, "train", i) }),
          el("td", { className: "num", text: classCount(data, "validation", i) }),
          el("td", { className: "num", text: classCount(data, "test", i) }))));
    }
  }

  // ---------- test set ----------

  function renderTest(test, data) {
    const section = byId("test-results");
    section.hidden = !test;
    if (!test) return;
    const classes = test.classes.slice().sort((a, b) => a.index - b.index);
    // The data's own test count; runs without a data record still have every class's support.
    const recorded = data && data.counts ? data.counts.test : null;
    const testCount = HP.isBlank(recorded) ? classes.reduce((sum, c) => sum + (Number(c.support) || 0), 0) : recorded;
    const noun = isImages(data) ? "images" : "examples";

    byId("test-source").replaceChildren(
      "Best network (",
      el("a", { href: `/runs/${runId}/trials/${test.trialNumber}`, text: `trial ${test.trialNumber}` }),
      `) evaluated once on the ${fmt.integer(testCount)} test ${noun}.`);
    byId("test-accuracy").textContent = fmt.percent(test.accuracy);
    byId("test-macro-f1").textContent = fmt.fixed(test.macroF1, 4);
    byId("class-metrics").tBodies[0].replaceChildren(...classes.map((c) =>
      el("tr", { dataset: { class: c.index } },
        el("td", { text: c.name }),
        el("td", { className: "num", text: fmt.fixed(c.precision, 4) }),
        el("td", { className: "num", text: fmt.fixed(c.recall, 4) }),
        el("td", { className: "num", text: fmt.fixed(c.f1, 4) }),
        el("td", { className: "num", text: fmt.integer(c.support) }))));
    drawConfusion(classes.map((c) => c.name), test.confusion, noun);
  }

  /** confusion[actual][predicted]: predicted along x, actual down y (first class at the top). */
  function drawConfusion(names, confusion, noun) {
    const cells = confusion.flatMap((row, actual) => row.map((count, predicted) => [predicted, actual, count]));
    HP.drawChart(byId("confusion-chart"), {
      grid: { left: 130, right: 110, top: 20, bottom: 110 },
      tooltip: HP.tooltip("item", (p) => [`${fmt.integer(p.value[2])} test ${noun}`,
        [["actual", names[p.value[1]]], ["predicted", names[p.value[0]]]]]),
      xAxis: { type: "category", data: names, name: "predicted", nameLocation: "middle", nameGap: 85,
               axisLabel: { interval: 0, rotate: 35 }, splitArea: { show: true } },
      yAxis: { type: "category", data: names, name: "actual", nameLocation: "middle", nameGap: 115,
               inverse: true, axisLabel: { interval: 0 }, splitArea: { show: true } },
      visualMap: {
        min: 0,
        max: Math.max(1, ...cells.map((c) => c[2])),
        calculable: true,
        right: 10,
        top: "middle",
        inRange: { color: ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"] },
      },
      series: [{ type: "heatmap", data: cells, label: { show: true, fontSize: 11 } }],
    }, cells.length);
  }

  // ---------- loading ----------

  /** The workers panel: shown once any worker has worked on the run (runs recorded before workers have none). */
  function renderWorkers(workers) {
    byId("workers-section").hidden = !workers || workers.length === 0;
    if (!workers) return;
    byId("workers").tBodies[0].replaceChildren(...workers.map((w) => el("tr", {},
      el("td", { text: w.host }),
      el("td", { className: "num", text: String(w.pid) }),
      el("td", { className: "num", text: fmt.integer(w.trialsDone) }),
      el("td", { className: "num" }, HP.isBlank(w.currentTrial) ? "–"
        : el("a", { href: `/runs/${runId}/trials/${w.currentTrial}`, text: String(w.currentTrial) })),
      el("td", { className: "num", text: `${fmt.fixed(w.heartbeatSecondsAgo, 0)} s ago` }))));
  }

  function render(detail, trials) {
    view.detail = detail;
    view.trials = trials;
    renderSummary(detail);
    renderWorkers(detail.workers);
    renderTrials();
    byId("csv-link").href = `/api/runs/${runId}/trials.csv`;
    const done = completedTrials(trials);
    drawHistory(detail.run, done, prunedTrials(trials));
    drawParallel(detail, done);
    renderData(detail);
    renderTest(detail.test, dataOf(detail));
  }

  async function load() {
    if (!Number.isInteger(runId)) throw new Error(`Not a run page: ${location.pathname}`);
    // The first paint needs only the top of the ranking; a large run's other trials (charts, full table) follow.
    // Later refreshes fetch every trial at once.
    const firstPaint = !view.detail;
    const [detail, first] = await Promise.all([
      HP.getJson(`/api/runs/${runId}`),
      HP.getJson(`/api/runs/${runId}/trials${firstPaint ? `?limit=${FIRST_PAINT_TRIALS}` : ""}`),
    ]);
    let trials = first;
    if (firstPaint && first.length === FIRST_PAINT_TRIALS) {
      render(detail, first);
      trials = await HP.getJson(`/api/runs/${runId}/trials`);
    }
    render(detail, trials);
    // The other charts' data: per-epoch curves at every refresh, importance when the completed trials change.
    const importanceKey = detail.run.completed;
    const [curves, importance] = await Promise.all([
      HP.getJson(`/api/runs/${runId}/curves`),
      importanceKey === importanceFor ? null : HP.getJson(`/api/runs/${runId}/importance`),
    ]);
    drawIntermediate(detail.run, curves);
    if (importance) {
      drawImportance(importance);
      importanceFor = importanceKey;
    }
    // The answers are fetched side by side: go on until both agree that nothing is running any more.
    return HP.isActive(detail.run.status) || trials.some((t) => t.state === "RUNNING");
  }

  async function cancelRun() {
    const button = byId("cancel-run");
    button.disabled = true;
    try {
      await HP.postText(`/api/runs/${runId}/cancel`);
    } catch (err) {
      if (err.status !== 409) { // 409: it had already finished; the refresh below shows how
        HP.showError(err);
        button.disabled = false;
      }
    }
    poller.refresh();
  }

  // The status filter offers every trial state, from the one list the dashboard keeps of them.
  byId("status-filter").append(...HP.TRIAL_STATES.map((state) =>
    el("option", { value: state.toLowerCase(), text: state.toLowerCase() })));
  byId("trials").addEventListener("click", onHeaderClick);
  byId("status-filter").addEventListener("change", (event) => {
    view.filter = event.target.value;
    if (view.detail) renderTrials();
  });
  byId("cancel-run").addEventListener("click", cancelRun);
  view.filter = byId("status-filter").value; // a reload may have restored the user's choice
  const poller = HP.poll(load, 2000);
})();
