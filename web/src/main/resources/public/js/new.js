/* "/new": edit or load a search space, validate it, start a run with it. */
"use strict";

(() => {
  const { el, byId } = HP;
  const editor = byId("space-yaml");
  const buttons = [byId("validate"), byId("start-run")];

  function clearResults() {
    HP.clearError();
    for (const id of ["validation", "space-errors", "yaml-lines"]) {
      byId(id).hidden = true;
      byId(id).replaceChildren();
    }
  }

  /**
   * "line 5: model.units.choice: must not be empty" for an error in the space; errors in its data (a missing
   * column, an unreadable file) have no line and are shown as the server's one-line message.
   */
  function describe(body, fallback) {
    if (HP.isBlank(body.line)) return HP.isBlank(body.error) ? fallback : String(body.error);
    return [`line ${body.line}`, body.key, body.problem || body.error].filter(Boolean).join(": ");
  }

  /** The error's line is the sent YAML's own (not a line of some data file the space names). */
  function inSpace(body) {
    return !HP.isBlank(body.line) && (HP.isBlank(body.file) || body.file === "space.yaml");
  }

  /** The YAML that was sent, numbered line by line (numbers come from data-line), the offending line marked. */
  function showLines(yaml, badLine) {
    const view = byId("yaml-lines");
    view.replaceChildren(...yaml.replace(/\r?\n$/, "").split(/\r?\n/).map((text, i) =>
      el("span", { dataset: { line: i + 1 }, className: i + 1 === badLine ? "error-line" : null }, text)));
    view.hidden = false;
    view.querySelector(".error-line")?.scrollIntoView({ block: "nearest" });
  }

  /** A rejected space (400) is explained under the editor; anything else goes to the error banner. */
  function showFailure(err, yaml) {
    if (!(err instanceof HP.ApiError) || err.status !== 400 || !err.body || typeof err.body !== "object") {
      HP.showError(err);
      return;
    }
    const list = byId("space-errors");
    list.replaceChildren(el("li", { text: describe(err.body, err.message) }));
    list.hidden = false;
    if (inSpace(err.body)) showLines(yaml, Number(err.body.line));
  }

  function showValid(summary) {
    const grid = HP.isBlank(summary.gridSize) ? "" : ` (the full grid has ${summary.gridSize} points)`;
    const message = byId("validation");
    message.textContent =
      `Valid: “${summary.name}”, ${summary.search} search, ${summary.plannedTrials} trials planned${grid}.`;
    // What reading the data noticed and the run would go on without (image files of kinds it does not read).
    for (const note of Array.isArray(summary.notes) ? summary.notes : []) {
      message.append(el("br"), String(note));
    }
    message.hidden = false;
  }

  /** POSTs the editor's YAML to url and hands the answer to onSuccess; the buttons are off meanwhile. */
  async function submit(url, onSuccess) {
    clearResults();
    const yaml = editor.value;
    buttons.forEach((button) => { button.disabled = true; });
    try {
      onSuccess(await HP.postText(url, yaml));
    } catch (err) {
      showFailure(err, yaml);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  async function loadFile() {
    const file = byId("space-file").files[0];
    if (!file) return;
    clearResults();
    try {
      editor.value = await file.text();
    } catch (err) {
      HP.showError(`Cannot read ${file.name}: ${err.message}`);
    }
  }

  byId("validate").addEventListener("click", () => submit("/api/spaces/validate", showValid));
  byId("start-run").addEventListener("click", () => submit("/api/runs", (run) => location.assign(`/runs/${run.id}`)));
  byId("space-file").addEventListener("change", loadFile);

  HP.getText("/api/spaces/default")
    .then((yaml) => {
      // Keep anything already there: typed before the answer came, or restored by the browser.
      if (!editor.value) editor.value = yaml;
    })
    .catch(HP.showError)
    .finally(() => editor.removeAttribute("placeholder"));
})();
