// stepdoc: the stepper shows the current step. On a narrow screen the
// steps scroll sideways; on load the current one is brought into view (the
// stepper scrolls, the page does not).
(function () {
  "use strict";
  var current = document.querySelector('.stepper [aria-current="step"]');
  var nav = current && current.closest(".stepper");
  if (!nav || nav.scrollWidth <= nav.clientWidth) return;
  var item = current.getBoundingClientRect();
  var box = nav.getBoundingClientRect();
  nav.scrollLeft += item.left - box.left - (box.width - item.width) / 2;
})();

// stepdoc: copy buttons. Without JavaScript the buttons stay hidden and the
// code can be selected by hand.
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  var labels = { copied: document.body.getAttribute("data-copied") || "Copied" };
  document.querySelectorAll(".code .copy").forEach(function (button) {
    var code = button.closest(".code").querySelector("pre code");
    if (!code) return;
    var label = button.textContent;
    button.hidden = false;
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      copy(code.textContent).then(function () {
        button.textContent = labels.copied + " ✓";
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }).then(function () {
        setTimeout(function () { button.textContent = label; }, 1600);
      });
    });
  });

  // Snippet tabs (ARIA tabs pattern). Without JavaScript every snippet is
  // shown under its label; with it, one language at a time, remembered.
  var KEY = "stepdoc-lang";
  function stored() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function store(lang) { try { localStorage.setItem(KEY, lang); } catch (e) { /* private mode */ } }
  var groups = [];
  document.querySelectorAll("[data-snippets]").forEach(function (group, g) {
    var panels = Array.prototype.slice.call(group.querySelectorAll(":scope > .snippet"));
    var list = document.createElement("div");
    list.className = "tablist";
    list.setAttribute("role", "tablist");
    var tabs = panels.map(function (panel, i) {
      var label = panel.querySelector(".snippet-label");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tab";
      tab.textContent = label ? label.textContent : panel.getAttribute("data-lang");
      tab.setAttribute("role", "tab");
      tab.id = "snippet-tab-" + g + "-" + i;
      panel.id = panel.id || "snippet-panel-" + g + "-" + i;
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.removeAttribute("aria-label");
      if (label) label.hidden = true;
      tab.addEventListener("click", function () { selectAll(panel.getAttribute("data-lang"), true); tab.focus(); });
      tab.addEventListener("keydown", function (ev) {
        var next = null;
        if (ev.key === "ArrowRight") next = (i + 1) % tabs.length;
        else if (ev.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
        else if (ev.key === "Home") next = 0;
        else if (ev.key === "End") next = tabs.length - 1;
        if (next === null) return;
        ev.preventDefault();
        selectAll(panels[next].getAttribute("data-lang"), true);
        tabs[next].focus();
      });
      list.appendChild(tab);
      return tab;
    });
    group.insertBefore(list, group.firstChild);
    groups.push({ tabs: tabs, panels: panels });
  });
  function select(group, lang) {
    var index = group.panels.findIndex(function (p) { return p.getAttribute("data-lang") === lang; });
    if (index < 0) index = 0;
    group.panels.forEach(function (panel, i) {
      var on = i === index;
      panel.hidden = !on;
      group.tabs[i].setAttribute("aria-selected", on ? "true" : "false");
      group.tabs[i].tabIndex = on ? 0 : -1;
    });
  }
  function selectAll(lang, remember) {
    groups.forEach(function (group) { select(group, lang); });
    if (remember) store(lang);
  }
  selectAll(stored(), false);
})();

// Theme toggle: system, light, dark; remembered. The choice is applied in
// <head> before the page is drawn (no flash); here the button cycles it.
(function () {
  "use strict";
  var button = document.querySelector(".theme-toggle");
  if (!button) return;
  var KEY = "stepdoc-theme";
  var modes = ["system", "light", "dark"];
  var labels = (button.getAttribute("data-labels") || "system|light|dark").split("|");
  function current() {
    var t = document.documentElement.getAttribute("data-theme");
    return t === "light" || t === "dark" ? t : "system";
  }
  function show() {
    var i = modes.indexOf(current());
    button.textContent = labels[i];
  }
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    var next = modes[(modes.indexOf(current()) + 1) % modes.length];
    if (next === "system") {
      document.documentElement.removeAttribute("data-theme");
    } else {
      document.documentElement.setAttribute("data-theme", next);
    }
    try { if (next === "system") localStorage.removeItem(KEY); else localStorage.setItem(KEY, next); } catch (e) { /* private mode */ }
    show();
  });
})();

// Contents of the page: open as a side rail on wide screens, and the link
// of the section being read marked while scrolling.
(function () {
  "use strict";
  var toc = document.querySelector(".toc details");
  if (!toc) return;
  var wide = window.matchMedia("(min-width: 80rem)");
  function place() { toc.open = wide.matches; }
  place();
  if (wide.addEventListener) wide.addEventListener("change", place);
  var links = Array.prototype.slice.call(toc.querySelectorAll("a"));
  var headings = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
  function mark() {
    var current = 0;
    headings.forEach(function (h, i) { if (h && h.getBoundingClientRect().top < 120) current = i; });
    links.forEach(function (a, i) {
      if (i === current) a.setAttribute("aria-current", "location"); else a.removeAttribute("aria-current");
    });
  }
  mark();
  window.addEventListener("scroll", mark, { passive: true });
})();

// Search over every step of this language. The index is a script the
// build writes (search-index.js); it is loaded with a <script> tag on first
// use, so search works under any sub-path and from file:// alike.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  form.hidden = false;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var home = form.getAttribute("data-home");
  var loading = null;
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = form.getAttribute("data-index");
        script.onload = function () {
          var docs = window.STEPDOC_SEARCH || [];
          docs.forEach(function (d) {
            d.lt = d.t.toLowerCase();
            d.lh = d.h.map(function (h) { return h[0].toLowerCase(); });
            d.lr = d.r.join(" ").toLowerCase();
            d.lx = d.x.toLowerCase();
          });
          resolve(docs);
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  // Every word must occur; the title weighs most, then headings, requests, text.
  function search(docs, words) {
    var hits = [];
    docs.forEach(function (d) {
      var score = 0;
      var anchor = "";
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        var s = 0;
        if (d.lt.indexOf(w) >= 0) s += 10;
        for (var j = 0; j < d.lh.length; j++) {
          if (d.lh[j].indexOf(w) >= 0) { s += 5; anchor = anchor || d.h[j][1]; break; }
        }
        if (d.lr.indexOf(w) >= 0) s += 3;
        if (d.lx.indexOf(w) >= 0) s += 1;
        if (!s) return;
        score += s;
      }
      hits.push({ d: d, score: score, anchor: anchor });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.d.n - b.d.n; });
    return hits.slice(0, 8);
  }
  function excerpt(d, words) {
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) at = d.lx.indexOf(words[i]);
    if (at < 0) return d.x.slice(0, 110);
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + d.x.slice(start, start + 110) + "…";
  }
  function show(hits, words) {
    list.textContent = "";
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "hit-none";
      none.textContent = form.getAttribute("data-empty");
      list.appendChild(none);
    }
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = home + hit.d.u + (hit.anchor ? "#" + hit.anchor : "");
      var title = document.createElement("span");
      title.className = "hit-title";
      title.textContent = hit.d.n + ". " + hit.d.t;
      var text = document.createElement("span");
      text.className = "hit-text";
      text.textContent = excerpt(hit.d, words);
      a.appendChild(title);
      a.appendChild(text);
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = hits.length ? hits.length + "" : form.getAttribute("data-empty");
    list.hidden = false;
  }
  function run() {
    var query = input.value;
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { list.hidden = true; return; }
    load().then(function (docs) {
      if (input.value === query) show(search(docs, words), words);
    }, function () {
      list.textContent = "";
      var li = document.createElement("li");
      li.className = "hit-none";
      li.textContent = form.getAttribute("data-failed");
      list.appendChild(li);
      list.hidden = false;
    });
  }
  input.addEventListener("input", run);
  input.addEventListener("focus", function () { load().catch(function () {}); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("keydown", function (ev) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (ev.key === "Escape") { list.hidden = true; input.focus(); }
    else if (ev.key === "ArrowDown" && links.length) { ev.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus(); }
    else if (ev.key === "ArrowUp" && links.length) { ev.preventDefault(); if (i <= 0) input.focus(); else links[i - 1].focus(); }
  });
  document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) list.hidden = true; });
})();
