/* "/": every run, newest first, refreshed every 3 s while any of them is queued or running. */
"use strict";

(() => {
  const { el, byId, fmt } = HP;

  function runRow(run) {
    const cell = (text, className) => el("td", { text, className });
    const best = HP.isBlank(run.bestScore) ? HP.DASH : `${fmt.score(run.bestScore)} (${run.objective})`;
    return el("tr", { dataset: { runId: run.id } },
      el("td", {}, el("a", { className: "run-link", href: `/runs/${run.id}`, text: run.name })),
      el("td", {}, HP.statusBadge(run.status)),
      cell(`${run.completed} / ${run.failed} / ${run.total}`, "num"),
      cell(best, "num"),
      cell(fmt.percent(run.testAccuracy), "num"),
      cell(fmt.dateTime(run.createdAt)),
      cell(fmt.duration(run.durationSeconds), "num"));
  }

  function render(runs) {
    byId("loading").hidden = true;
    byId("no-runs").hidden = runs.length > 0;
    byId("runs").hidden = runs.length === 0;
    byId("runs").tBodies[0].replaceChildren(...runs.map(runRow));
  }

  HP.poll(async () => {
    const runs = await HP.getJson("/api/runs");
    render(runs);
    return runs.some((run) => HP.isActive(run.status));
  }, 3000);
})();
