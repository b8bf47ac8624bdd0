// Redaction areas: drag a box on the page image; the box fills the area form's four
// fields (percent of the page), which also work alone, by keyboard, without this script.
// Loaded as a file (the CSP allows no inline script); positions go into SVG attributes.
"use strict";

function setupAreaDrawing() {
  const overlay = document.getElementById("area-overlay");
  const draft = document.getElementById("area-draft");
  const form = document.getElementById("area-form");
  if (!overlay || !draft || !form) return;
  const fields = {
    left: document.getElementById("area-left"),
    top: document.getElementById("area-top"),
    width: document.getElementById("area-width"),
    height: document.getElementById("area-height"),
  };
  const SCALE = 1000; // the overlay's viewBox is 1000 x 1000: the page in thousandths
  let start = null;

  function point(event) {
    const box = overlay.getBoundingClientRect();
    const x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    const y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
    return { x, y };
  }

  function show(a, b) {
    const left = Math.min(a.x, b.x);
    const top = Math.min(a.y, b.y);
    const width = Math.abs(a.x - b.x);
    const height = Math.abs(a.y - b.y);
    draft.setAttribute("x", String(left * SCALE));
    draft.setAttribute("y", String(top * SCALE));
    draft.setAttribute("width", String(width * SCALE));
    draft.setAttribute("height", String(height * SCALE));
    return { left, top, width, height };
  }

  function fill(area) {
    for (const [name, value] of Object.entries(area)) {
      fields[name].value = (Math.round(value * 1000) / 10).toFixed(1);
    }
  }

  overlay.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    overlay.setPointerCapture(event.pointerId);
    start = point(event);
    show(start, start);
  });
  overlay.addEventListener("pointermove", (event) => {
    if (start) show(start, point(event));
  });
  overlay.addEventListener("pointerup", (event) => {
    if (!start) return;
    const area = show(start, point(event));
    start = null;
    if (area.width > 0.002 && area.height > 0.002) {
      fill(area);
      document.getElementById("area-save").focus();
    }
  });

  // Typed values move the preview box too, so the keyboard path shows what it marks.
  function fromFields() {
    const v = Object.fromEntries(
      Object.entries(fields).map(([name, input]) => [name, parseFloat(input.value) / 100]),
    );
    if (Object.values(v).some((n) => Number.isNaN(n))) return;
    show({ x: v.left, y: v.top }, { x: v.left + v.width, y: v.top + v.height });
  }
  for (const input of Object.values(fields)) input.addEventListener("input", fromFields);
}

document.addEventListener("DOMContentLoaded", setupAreaDrawing);
