// The review queue's bulk selection: "select all" and a count of what is chosen. Without
// this script the checkboxes and buttons still work (a plain form).
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var all = document.getElementById("select-all");
  var count = document.getElementById("selected-count");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input.pick-one"));
  function update() {
    var chosen = boxes.filter(function (b) { return b.checked; }).length;
    count.textContent = chosen ? chosen + " dokumen dipilih" : "";
    all.checked = chosen > 0 && chosen === boxes.length;
    all.indeterminate = chosen > 0 && chosen < boxes.length;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
    update();
  });
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
