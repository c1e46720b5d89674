/*
 * "/compare?runs=1,2,3": the runs' best scores so far against the epochs their trials consumed, on one chart.
 * The server refuses runs with different objectives (400); the page says why instead of drawing.
 * Re-fetched every 3 s while any of the runs is queued or running.
 */
"use strict";

(() => {
  const { el, byId, fmt } = HP;
  const runs = new URLSearchParams(location.search).get("runs") || "";

  function render(comparison) {
    byId("comparison").hidden = false;
    byId("compare-refused").hidden = true;
    const direction = comparison.maximise ? "maximised" : "minimised";
    byId("compare-meta").textContent = `${comparison.runs.length} runs · objective ${comparison.objective} (${direction})`;
    byId("compare-best-label").textContent = `Best ${comparison.objective}`;

    const last = (run) => run.points.length ? run.points[run.points.length - 1] : null;
    byId("compared-runs").tBodies[0].replaceChildren(...comparison.runs.map((run) =>
      el("tr", { dataset: { runId: run.id } },
        el("td", {}, el("a", { href: `/runs/${run.id}`, text: `${run.name} (#${run.id})` })),
        el("td", {}, HP.statusBadge(run.status)),
        el("td", { text: run.search }),
        el("td", { className: "num", text: fmt.integer(run.trials) }),
        el("td", { className: "num", text: fmt.integer(last(run) && last(run).epochs) }),
        el("td", { className: "num", text: fmt.score(last(run) && last(run).best) }))));

    // Run names may repeat (or be hostile): each series is named by its id too, and drawn as text only.
    const series = comparison.runs.map((run) => ({
      name: `#${run.id} ${run.name}`,
      type: "line",
      step: "end",
      symbolSize: 6,
      data: run.points.filter((p) => !HP.isBlank(p.best)).map((p) => [p.epochs, p.best, p.trial]),
    }));
    const points = series.reduce((sum, s) => sum + s.data.length, 0);
    HP.drawChart(byId("compare-chart"), {
      legend: { top: 8, type: "scroll" },
      grid: { left: 70, right: 40, top: 50, bottom: 50 },
      tooltip: HP.tooltip("item", (p) => [p.seriesName,
        [["epochs consumed", fmt.integer(p.value[0])], [`best ${comparison.objective}`, fmt.score(p.value[1])],
         ["after trial", String(p.value[2])]]]),
      xAxis: { type: "value", name: "epochs consumed", nameLocation: "middle", nameGap: 30, minInterval: 1 },
      yAxis: { type: "value", name: comparison.objective, scale: true },
      series,
    }, points, "No completed trials yet");
  }

  function refuse(message) {
    byId("comparison").hidden = true;
    const refused = byId("compare-refused");
    refused.textContent = message;
    refused.hidden = false;
  }

  HP.poll(async () => {
    let comparison;
    try {
      comparison = await HP.getJson(`/api/compare?runs=${encodeURIComponent(runs)}`);
    } catch (err) {
      // A comparison the server refuses (different objectives, unknown runs) is explained, not retried.
      if (err instanceof HP.ApiError && (err.status === 400 || err.status === 404)) {
        refuse((err.body && err.body.error) || err.message);
        return false;
      }
      throw err;
    }
    render(comparison);
    return comparison.runs.some((run) => HP.isActive(run.status));
  }, 3000);
})();
