// Progress of a scan: poll the contract's status endpoint and reload when the scan has finished.
// A separate file (no inline script) so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  var box = document.getElementById("scan-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var text = document.getElementById("scan-progress-text");
  var delay = 1500, polls = 0;
  function poll() {
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (data.done) { window.location.reload(); return; }
        if (text && data.scan) { text.textContent = "Scan " + data.scan.status + " (attempt " + Math.max(1, data.scan.attempts) + ")…"; }
        setTimeout(poll, Math.min(delay * (1 + polls / 10), 10000));
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, delay);
})();
