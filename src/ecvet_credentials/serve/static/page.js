// Progressive enhancement only: the form works without this file. Drag a file onto the box to
// choose it (keyboard and screen-reader users keep the plain file input).
(function () {
  var zone = document.getElementById("drop-zone"), input = document.getElementById("file"),
      status = document.getElementById("drop-status");
  if (!zone || !input || !window.DataTransfer) return;
  function say(name) { status.textContent = (status.getAttribute("data-ready") || "").replace("{name}", name); }
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    say(input.files[0].name);
  });
  input.addEventListener("change", function () { if (input.files.length) say(input.files[0].name); });
})();
