/*
 * Helpers shared by every hpsearch page, under one global: HP.
 * Everything that comes from the server is put into the page with textContent (el() below), never as HTML;
 * the only HTML we build is ECharts tooltips, and those go through escapeHtml.
 */
"use strict";

const HP = (() => {
  const ACTIVE = new Set(["QUEUED", "RUNNING"]);
  // Every state a trial can be in, in the store's order (TrialState); BrowserTest checks it against the enum.
  const TRIAL_STATES = ["RUNNING", "COMPLETED", "PRUNED", "FAILED", "CANCELLED", "INTERRUPTED"];
  const DASH = "-";

  // Tableau 10: distinct, readable colours for the series of every chart.
  const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
  // Trials the pruner stopped, in every chart that tells them apart: the palette's red.
  const PRUNED_COLOUR = "#e15759";
  // Sequential scale (viridis) for values such as scores: dark = low, yellow = high.
  const SEQUENTIAL = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

  // ---------- DOM ----------

  /** Creates an element. props: text, className, dataset, or any attribute; children: nodes or strings (as text). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function escapeHtml(value) {
    return String(value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function statusBadge(status) {
    const badge = el("span");
    setStatus(badge, status);
    return badge;
  }

  function setStatus(node, status) {
    node.textContent = status || DASH;
    node.className = "status status-" + String(status || "").toLowerCase();
  }

  function isActive(status) {
    return ACTIVE.has(status);
  }

  // ---------- formatting (null, undefined and NaN show as "-") ----------

  function isBlank(value) {
    return value === null || value === undefined || value === "" || (typeof value === "number" && Number.isNaN(value));
  }

  function fixed(value, digits) {
    return isBlank(value) ? DASH : Number(value).toFixed(digits);
  }

  function score(value) {
    return fixed(value, 4);
  }

  /** A fraction as a percentage: 0.8812 -> "88.12 %". */
  function percent(value) {
    return isBlank(value) ? DASH : (Number(value) * 100).toFixed(2) + " %";
  }

  /** Thousands separators: 235146 -> "235,146". */
  function integer(value) {
    return isBlank(value) ? DASH : Number(value).toLocaleString("en-US");
  }

  /** A parameter value as written: numbers lose float noise (0.30000000000000004 -> 0.3), text stays. */
  function value(v) {
    if (isBlank(v)) return DASH;
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
    return String(v);
  }

  function duration(seconds) {
    if (isBlank(seconds)) return DASH;
    const s = Number(seconds);
    if (s < 60) return s.toFixed(1) + " s";
    const total = Math.round(s);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const rest = String(total % 60).padStart(2, "0");
    return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min ${rest} s`;
  }

  /** ISO-8601 -> "2024-05-01 14:03:22" in the browser's time zone. */
  function dateTime(iso) {
    if (isBlank(iso)) return DASH;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const two = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
      `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }

  // ---------- HTTP ----------

  class ApiError extends Error {
    /** status 0 means the server could not be reached; body is the server's JSON error, if any. */
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body || null;
    }
  }

  async function request(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new ApiError(0, `Cannot reach the hpsearch server (${err.message}).`);
    }
    if (!response.ok) {
      let body = null;
      try {
        body = await response.json();
      } catch (ignored) {
        // Not a JSON error body: the status line says enough.
      }
      const message = (body && body.error) || `${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, `${message} (${options && options.method || "GET"} ${url})`, body);
    }
    return response;
  }

  function getJson(url) {
    return request(url).then((response) => response.json());
  }

  function getText(url) {
    return request(url).then((response) => response.text());
  }

  // A dashboard reachable from other machines takes changes only with its access token. It arrives once in the
  // URL's fragment (#token=..., never sent to the server), is kept for this tab, and goes with every POST.
  const TOKEN_KEY = "hpsearch-token";
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, "", location.pathname + location.search);
  }

  /** POSTs text (a space's YAML, or nothing) and returns the JSON answer; asks for the token if one is needed. */
  async function postText(url, text) {
    const send = () => {
      const headers = { "Content-Type": "text/plain; charset=utf-8" };
      const token = sessionStorage.getItem(TOKEN_KEY);
      if (token) headers.Authorization = `Bearer ${token}`;
      return request(url, { method: "POST", headers, body: text || "" });
    };
    try {
      return await (await send()).json();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      const token = window.prompt("This dashboard needs its access token for changes "
        + "(printed where 'hpsearch serve' started):");
      if (!token) throw err;
      sessionStorage.setItem(TOKEN_KEY, token.trim());
      return (await send()).json();
    }
  }

  // ---------- error banner (every page has <div id="error">) ----------

  function showError(error) {
    const banner = byId("error");
    banner.textContent = error && error.message ? error.message : String(error);
    banner.hidden = false;
  }

  function clearError() {
    byId("error").hidden = true;
  }

  // ---------- live updates ----------

  /**
   * Calls load() now, then again every intervalMs for as long as it resolves to true.
   * A failed load shows the error banner; it is retried only when it may be transient (server unreachable, 5xx).
   * refresh() loads at once (e.g. after a cancel); a refresh during a load runs right after it, never alongside,
   * so an older answer can never overwrite a newer one.
   */
  function poll(load, intervalMs) {
    let timer = null;
    let loading = false;
    let again = false;
    let failed = false; // the banner shows this poller's error (and only that one is cleared on success)

    async function tick() {
      clearTimeout(timer);
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      let keepGoing;
      try {
        keepGoing = await load();
        if (failed) clearError();
        failed = false;
      } catch (err) {
        showError(err);
        failed = true;
        keepGoing = !(err instanceof ApiError) || err.status === 0 || err.status >= 500;
        if (!(err instanceof ApiError)) console.error(err);
      }
      loading = false;
      if (again) {
        again = false;
        tick();
      } else if (keepGoing) {
        timer = setTimeout(tick, intervalMs);
      }
    }

    tick();
    return { refresh: tick };
  }

  /** The numbers in the path: "/runs/3/trials/7" -> {run: 3, trial: 7}. */
  function pathIds() {
    const match = location.pathname.match(/^\/runs\/(\d+)(?:\/trials\/(\d+))?\/?$/);
    return match ? { run: Number(match[1]), trial: match[2] === undefined ? null : Number(match[2]) } : {};
  }

  // ---------- charts ----------

  const charts = new Set();
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));

  function chartFor(div) {
    if (typeof echarts === "undefined") {
      throw new Error("The chart library did not load (/webjars/echarts/5.3.1/dist/echarts.min.js).");
    }
    let chart = echarts.getInstanceByDom(div);
    if (!chart) {
      chart = echarts.init(div);
      charts.add(chart);
    }
    return chart;
  }

  /**
   * Replaces a chart's option and marks its container for tests: data-ready="true", data-points = points drawn.
   * With no points, emptyText is shown in the middle instead. Animation is off: live updates redraw often.
   */
  function drawChart(div, option, points, emptyText) {
    const chart = chartFor(div);
    const base = {
      color: PALETTE,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" },
    };
    if (points === 0 && emptyText) {
      base.title = { text: emptyText, left: "center", top: "middle", textStyle: { color: "#59636e", fontSize: 14, fontWeight: "normal" } };
    }
    chart.setOption(Object.assign(base, option), true);
    chart.resize();
    div.dataset.ready = "true";
    div.dataset.points = String(points);
    return chart;
  }

  /**
   * A tooltip option whose HTML is built from plain text, every value escaped: describe(params) returns
   * [title, [[label, value], ...]]. No inline styles anywhere (the CSP forbids them): hence no ECharts colour
   * markers, and confine: true, which also stops ECharts from adding its inline-styled arrow.
   */
  function tooltip(trigger, describe) {
    return {
      trigger,
      confine: true,
      formatter: (params) => {
        const [title, rows] = describe(params);
        const lines = rows.map(([label, v]) => `${escapeHtml(label)}: ${escapeHtml(v)}`);
        return [`<span class="tip-title">${escapeHtml(title)}</span>`, ...lines].join("<br>");
      },
    };
  }

  return {
    SEQUENTIAL, DASH, PALETTE, PRUNED_COLOUR, TRIAL_STATES,
    el, byId, escapeHtml, statusBadge, setStatus, isActive, isBlank,
    fmt: { fixed, score, percent, integer, value, duration, dateTime },
    ApiError, getJson, getText, postText,
    showError, clearError, poll, pathIds,
    drawChart, tooltip,
  };
})();
