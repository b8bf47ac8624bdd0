// Arsip PPID: the only script. Drag and drop onto the upload form, upload progress, and two
// phone enhancements (the menu and the search facets work without it too).
// No inline scripts anywhere (the CSP forbids them); text is set with textContent only.
"use strict";

function setupDropzone() {
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("files");
  const list = document.getElementById("chosen");
  if (!zone || !input || !list) return;

  function showChosen() {
    list.replaceChildren();
    for (const file of input.files) {
      const item = document.createElement("li");
      item.textContent = `${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB)`;
      list.appendChild(item);
    }
  }
  input.addEventListener("change", showChosen);
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("over"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showChosen();
    }
  });
}

function renderStatus(row, file) {
  const pill = document.createElement("span");
  pill.className = `status-pill status-${file.status}`;
  pill.textContent = file.label;
  row.querySelector(".status").replaceChildren(pill);
  const detail = row.querySelector(".detail");
  detail.replaceChildren();
  if (file.document_id) {
    const link = document.createElement("a");
    link.href = `/documents/${encodeURIComponent(file.document_id)}`;
    link.textContent = "Buka dokumen";
    detail.appendChild(link);
    detail.appendChild(document.createTextNode(" "));
  }
  if (file.detail) detail.appendChild(document.createTextNode(file.detail));
}

function setupProgress() {
  const summary = document.getElementById("batch-summary");
  if (!summary || summary.dataset.done === "true") return;
  const url = summary.dataset.statusUrl;

  async function poll() {
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (err) {
      window.setTimeout(poll, 4000);
      return;
    }
    data.files.forEach((file, index) => {
      const row = document.querySelector(`#upload-files tr[data-index="${index}"]`);
      if (row) renderStatus(row, file);
    });
    if (data.done) {
      summary.textContent = "Semua berkas selesai diproses.";
      summary.classList.add("notice-ok");
      summary.dataset.done = "true";
    } else {
      window.setTimeout(poll, 1500);
    }
  }
  window.setTimeout(poll, 1000);
}

// The menu's checkbox (base.html) opens with Space like any checkbox; Enter too, as on a
// button, and Escape closes it again.
function setupMenu() {
  const toggle = document.getElementById("menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      toggle.click();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      toggle.focus();
    }
  });
}

// On a phone the search facets fold into "Saring hasil", closed; on a desk they stay open
// (the summary is hidden there). Skipped if the page already folds them itself.
const PHONE = "(max-width: 900px)";

function foldFacets() {
  const facets = document.querySelector(".results-layout > .facets");
  if (!facets || facets.querySelector("details")) return;
  const fold = document.createElement("details");
  fold.className = "facets-fold";
  const summary = document.createElement("summary");
  const chosen = facets.querySelectorAll("li.selected").length;
  summary.textContent = chosen ? `Saring hasil (${chosen} dipilih)` : "Saring hasil";
  const body = document.createElement("div");
  body.className = "facets-body";
  body.append(...facets.childNodes);
  fold.append(summary, body);
  facets.append(fold);
  facets.classList.add("folded");
  const phone = window.matchMedia(PHONE);
  const sync = () => {
    fold.open = !phone.matches;
  };
  sync();
  phone.addEventListener("change", sync);
}

// A wide table scrolls inside its own box, at any window size, never the page. Without
// JavaScript, phones get the same from app.css (the table itself scrolls there).
function wrapTables() {
  for (const table of document.querySelectorAll("table.table:not(.dik-table)")) {
    if (table.parentElement.classList.contains("table-scroll")) continue;
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.replaceWith(box);
    box.appendChild(table);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  wrapTables();
  setupDropzone();
  setupProgress();
  setupMenu();
  foldFacets();
});
