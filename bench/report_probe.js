// Drives a split HTML report as a reader would and records what happened and how long it took.
// Added to a copy of index.html by bench/bench_report_page.py and tests/test_browser_paged.py;
// the query string says what to do: ?filter=WORDS&open=CLAIM-ID. The results are written as JSON
// into <pre id="probe"> and, inside a frame, posted to the parent page.
(function () {
  "use strict";
  var out = {ready: window.ctReady};
  var params = new URLSearchParams(location.search);
  function time(action) { var start = performance.now(); action(); return performance.now() - start; }
  function input(element, value) { element.value = value; element.dispatchEvent(new Event("input")); }
  function firstId() { var link = document.querySelector("#claims-table tbody tr a"); return link ? link.textContent : null; }
  var text = document.getElementById("filter-text");
  var headers = document.querySelectorAll("#claims-table th");
  out.rows = document.querySelectorAll("#claims-table tbody tr").length;
  out.filterMs = time(function () { input(text, params.get("filter") || ""); });
  out.filtered = document.getElementById("filter-count").textContent;
  out.clearMs = time(function () { input(text, ""); });
  out.sortTextMs = time(function () { headers[1].click(); });
  out.sortNumberMs = time(function () { headers[4].click(); });
  out.sortedFirst = firstId();
  out.nextMs = time(function () { document.getElementById("page-next").click(); });
  out.pageAt = document.getElementById("page-at").textContent;
  function finish() {
    out.width = document.documentElement.scrollWidth;
    out.viewport = window.innerWidth;
    var article = document.querySelector("#detail article.claim");
    out.detail = article ? article.id : null;
    var json = JSON.stringify(out);
    if (window.parent !== window) { window.parent.postMessage(json, "*"); }
    var pre = document.createElement("pre");
    pre.id = "probe";
    pre.textContent = json;
    document.body.appendChild(pre);
  }
  var open = params.get("open");
  if (!open) { finish(); return; }
  var start = performance.now();
  location.hash = "claim-" + open;
  (function wait() {
    if (document.querySelector("#detail article.claim") || performance.now() - start > 8000) {
      out.openMs = performance.now() - start;
      finish();
    } else {
      setTimeout(wait, 5);
    }
  }());
}());
