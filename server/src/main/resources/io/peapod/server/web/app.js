// Draws each pod as a table: a row per process (pause first, then the containers), a column per
// namespace type, each cell saying who holds that namespace (pause, the process itself, another
// container, or the host) with its inode. Redrawn whenever the daemon says a pod changed. A
// container's "logs" button opens a pane below the pods that follows its log; panes outlive redraws
// and close when their pod goes.
"use strict";
const TYPES = ["net", "ipc", "uts", "pid", "mnt", "cgroup", "user"];

function cell(row) {
  const td = document.createElement("td");
  td.dataset.ns = row.type;
  td.dataset.holder = row.holder;
  td.dataset.inode = String(row.inode);
  td.className = row.holder === "host" ? "host" : row.holder === "pause" && row.process !== "pause" ? "pause"
      : row.holder === row.process ? "own" : "shared";
  td.textContent = row.holder === row.process ? "own" : row.holder;
  const inode = document.createElement("span");
  inode.className = "inode";
  inode.textContent = String(row.inode);
  td.appendChild(inode);
  return td;
}

// Each item is the API's PodOverview: the pod as `get pod` returns it, its namespace rows, its events.
function podSection(overview) {
  const meta = overview.pod.metadata;
  const st = overview.pod.status;
  const key = meta.namespace + "/" + meta.name;
  const section = document.createElement("section");
  section.className = "pod";
  section.dataset.pod = key;
  const h2 = document.createElement("h2");
  h2.textContent = key;
  const status = document.createElement("span");
  status.className = "status";
  status.textContent = st.display + " " + st.ready + "/" + st.total + (st.podIP ? " " + st.podIP : "");
  h2.appendChild(status);
  section.appendChild(h2);
  const table = document.createElement("table");
  const head = table.insertRow();
  head.appendChild(Object.assign(document.createElement("th"), { textContent: "process" }));
  TYPES.forEach(t => head.appendChild(Object.assign(document.createElement("th"), { textContent: t })));
  const byProcess = new Map();
  overview.namespaces.forEach(r => {
    if (!byProcess.has(r.process)) byProcess.set(r.process, {});
    byProcess.get(r.process)[r.type] = r;
  });
  byProcess.forEach((rows, process) => {
    const tr = table.insertRow();
    tr.dataset.process = process;
    const name = tr.insertCell();
    name.className = "process";
    name.textContent = process;
    if (process !== "pause" && features.logs) {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: "logs" });
      button.className = "logs";
      button.addEventListener("click", () => openLog(key, process));
      name.appendChild(button);
    }
    TYPES.forEach(t => tr.appendChild(rows[t] ? cell(rows[t]) : document.createElement("td")));
  });
  section.appendChild(table);
  const events = document.createElement("ul");
  events.className = "events";
  overview.events.forEach(e => {
    const li = document.createElement("li");
    li.className = e.type === "Warning" ? "warning" : "normal";
    li.dataset.reason = e.reason;
    li.textContent = e.reason + ": " + e.message + (e.count > 1 ? " (x" + e.count + ")" : "");
    events.appendChild(li);
  });
  section.appendChild(events);
  return section;
}

// Open log panes by "namespace/pod/container": each holds its EventSource and its last MAX_LINES lines.
const panes = new Map();
const MAX_LINES = 1000;
// What the daemon serves: logs only with --web-logs.
let features = { logs: false };

function openLog(pod, container) {
  const key = pod + "/" + container;
  if (panes.has(key)) {
    return;
  }
  const pane = document.createElement("section");
  pane.className = "log";
  pane.dataset.log = key;
  const title = Object.assign(document.createElement("h3"), { textContent: "logs of " + key + " " });
  const close = Object.assign(document.createElement("button"), { type: "button", textContent: "close" });
  title.appendChild(close);
  const pre = document.createElement("pre");
  pane.append(title, pre);
  document.getElementById("logs").appendChild(pane);
  const source = new EventSource("/api/logs?pod=" + encodeURIComponent(pod) + "&container="
      + encodeURIComponent(container));
  const lines = [];
  source.onmessage = e => {
    lines.push(e.data);
    if (lines.length > MAX_LINES) {
      lines.splice(0, lines.length - MAX_LINES);
    }
    pre.textContent = lines.join("\n") + "\n";
    pre.scrollTop = pre.scrollHeight;
  };
  source.addEventListener("end", () => { source.close(); pane.classList.add("ended"); });
  source.onerror = () => { source.close(); pane.classList.add("ended"); };
  panes.set(key, { pane, source, pod });
  close.addEventListener("click", () => closeLog(key));
}

function closeLog(key) {
  const p = panes.get(key);
  if (p) {
    p.source.close();
    p.pane.remove();
    panes.delete(key);
  }
}

async function draw() {
  const answer = await fetch("/api/pods", { cache: "no-store" });
  const pods = (await answer.json()).items;
  const root = document.getElementById("pods");
  root.replaceChildren(...pods.map(podSection));
  if (pods.length === 0) {
    root.appendChild(Object.assign(document.createElement("p"), { id: "empty", textContent: "No pods." }));
  }
  const present = new Set(pods.map(p => p.pod.metadata.namespace + "/" + p.pod.metadata.name));
  [...panes.entries()].filter(([, p]) => !present.has(p.pod)).forEach(([key]) => closeLog(key));
}

let pending = null;
function redrawSoon() {
  if (pending === null) {
    pending = setTimeout(() => { pending = null; draw(); }, 200);
  }
}

fetch("/api/features", { cache: "no-store" }).then(r => r.json()).then(f => { features = f; draw(); });
const events = new EventSource("/api/watch");
events.addEventListener("change", redrawSoon);
events.onerror = () => setTimeout(redrawSoon, 2000);
