// Measures the claims list of a report page at the width it is shown: sideways scroll, the narrowest
// text column in characters, words broken across lines, whether rows are cards. Inserted into a copy
// of the page by tests/test_report_widths.py; posts its JSON result to the parent frame.
(function () {
  "use strict";
  var out = {viewport: window.innerWidth, width: document.documentElement.scrollWidth, broken: [], narrowest: null};
  function chars(cell) {
    var ruler = document.createElement("span");
    ruler.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap";
    ruler.textContent = "0000000000";
    cell.appendChild(ruler);
    var ch = ruler.getBoundingClientRect().width / 10;
    cell.removeChild(ruler);
    var style = getComputedStyle(cell);
    var inner = cell.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return inner / ch;
  }
  function brokenWords(cell) {
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    var node, found = [];
    while ((node = walker.nextNode())) {
      var re = /[A-Za-z0-9]+/g, m;
      while ((m = re.exec(node.data))) {
        var range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        var tops = {};
        Array.prototype.forEach.call(range.getClientRects(), function (r) { if (r.width > 0) { tops[Math.round(r.top)] = 1; } });
        if (Object.keys(tops).length > 1) { found.push(m[0]); }
      }
    }
    return found;
  }
  var table = document.getElementById("claims-table");
  if (!table) {
    Array.prototype.forEach.call(document.querySelectorAll("main li, main p"), function (el) {
      out.broken = out.broken.concat(brokenWords(el));
    });
    window.parent.postMessage(JSON.stringify(out), "*");
    return;
  }
  var cells = table.querySelectorAll("th, td");
  Array.prototype.forEach.call(cells, function (cell) {
    if (!cell.offsetParent || !cell.textContent.trim()) { return; }
    out.broken = out.broken.concat(brokenWords(cell));
  });
  var text = table.querySelectorAll("tbody td:nth-child(1), tbody td:nth-child(2)");
  Array.prototype.forEach.call(text, function (cell) {
    if (!cell.offsetParent) { return; }
    var n = chars(cell);
    if (out.narrowest === null || n < out.narrowest) { out.narrowest = n; }
  });
  var wrapper = table.parentNode;
  out.tableScrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
  var row = table.querySelector("tbody tr");
  out.cards = row ? getComputedStyle(row).display !== "table-row" : null;
  out.rows = table.querySelectorAll("tbody tr").length;
  var headers = table.querySelectorAll("thead th");
  out.sortable = Array.prototype.filter.call(headers, function (th) { return th.offsetParent !== null; }).length;
  var filter = document.getElementById("filter-text");
  filter.value = "context";
  filter.dispatchEvent(new Event("input"));
  out.filtered = Array.prototype.filter.call(table.querySelectorAll("tbody tr"), function (tr) {
    return !tr.hidden && tr.offsetParent !== null;
  }).length;
  filter.value = "";
  filter.dispatchEvent(new Event("input"));
  var tag = document.getElementById("filter-tag");
  out.tagCells = Array.prototype.filter.call(table.querySelectorAll("tbody td:nth-child(8)"), function (td) {
    return td.offsetParent !== null && td.textContent.indexOf("context-window") !== -1;
  }).length;
  if (tag) {
    tag.value = "context-window";
    tag.dispatchEvent(new Event("change"));
    out.tagged = Array.prototype.filter.call(table.querySelectorAll("tbody tr"), function (tr) {
      return !tr.hidden && tr.offsetParent !== null;
    }).length;
    tag.value = "";
    tag.dispatchEvent(new Event("change"));
  }
  window.parent.postMessage(JSON.stringify(out), "*");
}());
