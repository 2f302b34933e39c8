// The GMOC dashboard: polls the collector's JSON API and renders aggregates, slices with the
// emergency stop, per-node and per-link graphs, the event log and the audit log. The operator's API token
// comes from the URL fragment (#token=...) once and is kept in sessionStorage.
"use strict";

const token = (() => {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem("gmoc-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("gmoc-token") || "";
})();

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function when(micros) {
  return micros ? new Date(micros / 1000).toISOString().replace(".000", "") : "never";
}

function fill(id, items, render) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren();
  for (const item of items) render(body.insertRow(), item);
}

function renderAggregates(aggregates) {
  fill("aggregates", aggregates, (row, a) => {
    row.dataset.aggregate = a.id;
    cell(row, a.id);
    cell(row, a.health, "health-" + a.health).title = a.health_detail;
    cell(row, a.urn);
    cell(row, a.am_url);
    cell(row, a.slices);
    cell(row, a.slivers);
    cell(row, when(a.last_report_at) + " (#" + a.last_seq + ")");
    cell(row, a.datastore_url ? when(a.last_poll_at) : "not polled");
  });
}

function renderSlices(slices) {
  fill("slices", slices, (row, slice) => {
    row.dataset.slice = slice.urn;
    cell(row, slice.urn);
    cell(row, slice.aggregates.map((a) => a.id).join(", "));
    cell(row, slice.aggregates.map((a) => a.slivers.map((s) => `${a.id}:${s.client_id} ${s.operational_state}`).join("\n")).join("\n"));
    const down = slice.aggregates.filter((a) => a.shutdown).map((a) => a.id);
    cell(row, down.length ? "shut down at " + down.join(", ") : "active", down.length ? "shutdown" : "");
    const button = document.createElement("button");
    button.className = "stop";
    button.textContent = "Emergency stop";
    button.disabled = down.length === slice.aggregates.length;
    button.addEventListener("click", () => emergencyStop(slice.urn, button));
    row.insertCell().append(button);
  });
}

async function emergencyStop(sliceUrn, button) {
  if (!window.confirm(`Shut down ${sliceUrn} on every aggregate holding it?`)) return;
  button.disabled = true;
  const result = document.getElementById("stop-result");
  try {
    const answer = await api("/api/stop", { method: "POST", body: JSON.stringify({ slice_urn: sliceUrn }) });
    result.textContent = answer.aggregates
      .map((a) => `${a.aggregate}: ${a.stopped ? "stopped" : "NOT stopped"} (geni_code ${a.geni_code}) ${a.output}`)
      .join("\n");
    result.dataset.done = "true";
  } catch (error) {
    result.textContent = "emergency stop failed: " + error.message;
  }
  refresh();
}

// A small SVG line chart of one series.
function chart(points, label) {
  const width = 260, height = 70, ns = "http://www.w3.org/2000/svg";
  const figure = document.createElement("figure");
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const values = points.map((p) => p.v);
  const max = Math.max(1, ...values);
  const t0 = points.length ? points[0].ts : 0, t1 = points.length ? points[points.length - 1].ts : 1;
  const x = (ts) => ((ts - t0) / Math.max(1, t1 - t0)) * (width - 4) + 2;
  const y = (v) => height - 2 - (v / max) * (height - 4);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.map((p) => `${x(p.ts)},${y(p.v)}`).join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "#1565c0");
  svg.append(line);
  const caption = document.createElement("figcaption");
  caption.textContent = `${label} (last ${values.length ? values[values.length - 1] : "–"})`;
  figure.append(svg, caption);
  return figure;
}

function series(aggregate, object, metric) {
  const q = (v) => encodeURIComponent(v);
  return api(`/api/series?aggregate=${q(aggregate)}&object=${q(object)}&metric=${q(metric)}`);
}

// One link (a circuit: an inter-site link or a link sliver between two hosts): its allocated
// bandwidth, and its traffic once the aggregate reports it.
async function linkGraphs(a, c) {
  const object = `${a.id}_link_${c.name}`;
  const group = document.createElement("div");
  group.className = "link-graph";
  group.dataset.link = object;
  const title = document.createElement("p");
  title.textContent = `link ${c.name}: ${c.endpoints.join(" ↔ ")} ${c.vlans.length ? "VLAN " + c.vlans.join(",") : ""}`;
  group.append(title);
  const labels = { max_bps: "allocated bit/s", rx_bps: "received bit/s", tx_bps: "sent bit/s" };
  for (const [metric, label] of Object.entries(labels)) {
    const points = await series(a.id, object, metric);
    if (metric === "max_bps" || points.length) group.append(chart(points, `${c.name} ${label}`));
  }
  return group;
}

async function renderGraphs(aggregates) {
  const graphs = document.getElementById("graphs");
  const figures = [];
  for (const a of aggregates) {
    figures.push(chart(await series(a.id, a.id, "num_vms_allocated"), `${a.id} slivers on nodes`));
    const servers = ((a.topology || {}).resources || []).filter((r) => r.type === "server");
    for (const r of servers) {
      const figure = chart(await series(a.id, `${a.id}_node_${r.name}`, "mem_used_kb"), `${r.name} memory reserved (kB)`);
      figure.classList.add("node-graph");
      figures.push(figure);
    }
    for (const c of ((a.topology || {}).circuits || [])) figures.push(await linkGraphs(a, c));
  }
  graphs.replaceChildren(...figures);
}

function renderEvents(events) {
  fill("events", events, (row, e) => {
    cell(row, when(e.at));
    cell(row, e.aggregate);
    cell(row, e.kind);
    cell(row, e.slice_urn);
    cell(row, e.sliver_urn);
    cell(row, e.detail);
  });
}

function renderAudit(entries) {
  fill("audit", entries, (row, e) => {
    cell(row, when(e.at));
    cell(row, e.operator);
    cell(row, e.action);
    cell(row, e.target);
    cell(row, e.result.map((r) => `${r.aggregate}: ${r.stopped ? "stopped" : "failed"}`).join(", "));
  });
}

async function refresh() {
  const status = document.getElementById("status");
  try {
    const [aggregates, slices, events, audit] = await Promise.all(
      ["/api/aggregates", "/api/slices", "/api/events", "/api/audit"].map((p) => api(p)));
    renderAggregates(aggregates);
    renderSlices(slices);
    renderEvents(events);
    renderAudit(audit);
    await renderGraphs(aggregates);
    status.textContent = "updated " + new Date().toISOString().replace(/\.\d+/, "");
    document.body.dataset.loaded = "true";
  } catch (error) {
    status.textContent = "error: " + error.message;
  }
}

refresh();
setInterval(refresh, 5000);
