// Arsip PPID: the only script. Drag and drop onto the upload form, and upload progress.
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

document.addEventListener("DOMContentLoaded", () => {
  setupDropzone();
  setupProgress();
});
