/*
 * "/": every run, newest first, refreshed every 3 s while any of them is queued or running.
 * Ticking two or more runs and pressing Compare opens /compare?runs=...; the ticks survive each refresh.
 */
"use strict";

(() => {
  const { el, byId, fmt } = HP;
  const picked = new Set(); // ids of the runs ticked for comparison

  function runRow(run) {
    const cell = (text, className) => el("td", { text, className });
    const best = HP.isBlank(run.bestScore) ? HP.DASH : `${fmt.score(run.bestScore)} (${run.objective})`;
    const box = el("input", { type: "checkbox", className: "pick-run", value: String(run.id),
      "aria-label": `Compare run ${run.id}`, checked: picked.has(run.id) });
    return el("tr", { dataset: { runId: run.id } },
      el("td", { className: "pick" }, box),
      el("td", {}, el("a", { className: "run-link", href: `/runs/${run.id}`, text: run.name })),
      el("td", {}, HP.statusBadge(run.status)),
      cell(`${run.completed} / ${run.pruned} / ${run.failed} / ${run.total}`, "num"),
      cell(best, "num"),
      cell(fmt.percent(run.testAccuracy), "num"),
      cell(fmt.dateTime(run.createdAt)),
      cell(fmt.duration(run.durationSeconds), "num"));
  }

  function updateCompare() {
    byId("compare-runs").disabled = picked.size < 2;
  }

  function render(runs) {
    byId("loading").hidden = true;
    byId("no-runs").hidden = runs.length > 0;
    byId("runs").hidden = runs.length === 0;
    byId("compare-bar").hidden = runs.length < 2;
    // Runs that are gone (none are deleted today) cannot stay ticked.
    const ids = new Set(runs.map((run) => run.id));
    [...picked].filter((id) => !ids.has(id)).forEach((id) => picked.delete(id));
    byId("runs").tBodies[0].replaceChildren(...runs.map(runRow));
    updateCompare();
  }

  byId("runs").addEventListener("change", (event) => {
    if (!event.target.classList.contains("pick-run")) return;
    const id = Number(event.target.value);
    if (event.target.checked) picked.add(id);
    else picked.delete(id);
    updateCompare();
  });
  byId("compare-runs").addEventListener("click", () => {
    const ids = [...picked].sort((a, b) => a - b);
    location.assign(`/compare?runs=${ids.join(",")}`);
  });

  HP.poll(async () => {
    const runs = await HP.getJson("/api/runs");
    render(runs);
    return runs.some((run) => HP.isActive(run.status));
  }, 3000);
})();
