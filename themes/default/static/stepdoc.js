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

// Search over every step of this language. The index is scripts the build
// writes, loaded with <script> tags on first use, so search works under any
// sub-path and from file:// alike: one search-index.js for a small
// walkthrough, or for a large one search/index.js (the shards' names) and
// the one shard per query word it needs (search/s-<hex>.js), which carries
// what its best results show.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  form.hidden = false;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var home = form.getAttribute("data-home");
  var entry = form.getAttribute("data-index");
  var sharded = /search\/index\.js$/.test(entry);
  var dir = entry.slice(0, entry.lastIndexOf("/") + 1);
  function script(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }
  // A sharded index's files hand their data to this, by name.
  var waiting = {};
  var files = {};
  window.STEPDOC_SEARCH_LOADED = function (key, data) {
    if (waiting[key]) waiting[key](data);
  };
  function file(key) {
    if (!files[key]) {
      files[key] = new Promise(function (resolve, reject) {
        waiting[key] = resolve;
        script(dir + key + ".js").catch(reject);
      });
    }
    return files[key];
  }
  var loading = null;
  function load() {
    if (!loading) {
      loading = script(entry).then(function () {
        if (sharded) return window.STEPDOC_SEARCH_MANIFEST;
        var docs = window.STEPDOC_SEARCH || [];
        docs.forEach(function (d) {
          d.lt = d.t.toLowerCase();
          d.lh = d.h.map(function (h) { return h[0].toLowerCase(); });
          d.lr = d.r.map(function (r) { return r[0].toLowerCase(); });
          d.lx = d.x.toLowerCase();
        });
        return docs;
      });
    }
    return loading;
  }
  function excerpt(d, words) {
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) at = d.lx.indexOf(words[i]);
    if (at < 0) return d.x.slice(0, 110);
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + d.x.slice(start, start + 110) + "…";
  }
  // One file: every word must occur; the title weighs most, then headings,
  // requests, text. A request whose title, method and path hold every word
  // (`POST /user`) is the result's anchor.
  function searchAll(docs, words) {
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
        if (d.lr.join(" ").indexOf(w) >= 0) s += 3;
        if (d.lx.indexOf(w) >= 0) s += 1;
        if (!s) return;
        score += s;
      }
      var text = excerpt(d, words);
      for (var k = 0; k < d.lr.length; k++) {
        if (words.every(function (w) { return d.lr[k].indexOf(w) >= 0; })) {
          anchor = d.r[k][1];
          text = d.r[k][0];
          break;
        }
      }
      hits.push({ n: d.n, t: d.t, u: d.u, score: score, anchor: anchor, text: text });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
    return Promise.resolve(hits.slice(0, 8));
  }
  function hex(s) {
    return Array.prototype.map.call(new TextEncoder().encode(s), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  // Shards: each word is a prefix of the terms it finds; every word must
  // find the step. Scores add up; the anchor and snippet are the best word's.
  function searchShards(manifest, words) {
    words = words.join(" ").match(/[\p{L}\p{N}]+/gu) || [];
    if (!words.length) return Promise.resolve([]);
    return Promise.all(words.map(function (w) {
      var p = Array.from(w).slice(0, 2).join("");
      return manifest.s.indexOf(p) < 0 ? null : file("s-" + hex(p));
    })).then(function (shards) {
      if (shards.indexOf(null) >= 0) return [];
      var shown = {};
      var found = words.map(function (w, i) {
        var by = {};
        var t = shards[i].t;
        for (var id in shards[i].d) shown[id] = shards[i].d[id];
        function add(id, s, a, x) {
          var e = by[id];
          if (!e || s > e.s || (s === e.s && !e.x && x)) by[id] = { s: s, a: a, x: x };
        }
        Object.keys(t).forEach(function (term) {
          if (term.lastIndexOf(w, 0) !== 0) return;
          t[term][0].forEach(function (p) { add(p[0], p[1], p[2], p[3]); });
          // The other steps: per score, ids as base-36 runs (`0-3u,3w`).
          t[term][1].forEach(function (g) {
            g[1].split(",").forEach(function (run) {
              var ab = run.split("-");
              var a = parseInt(ab[0], 36);
              var b = ab.length > 1 ? parseInt(ab[1], 36) : a;
              for (var id = a; id <= b; id++) add(id, g[0], "", "");
            });
          });
        });
        return by;
      });
      var hits = [];
      Object.keys(found[0]).forEach(function (id) {
        var score = 0;
        var best = null;
        for (var i = 0; i < found.length; i++) {
          var e = found[i][id];
          if (!e) return;
          score += e.s;
          if (!best || (!best.x && e.x) || (!best.a && e.a)) best = e;
        }
        hits.push({ id: +id, score: score, anchor: best.a, text: best.x });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      hits = hits.slice(0, 8);
      var chunks = [];
      hits.forEach(function (h) {
        var k = Math.floor(h.id / manifest.c);
        if (!shown[h.id] && chunks.indexOf(k) < 0) chunks.push(k);
      });
      return Promise.all(chunks.map(function (k) {
        return file("d-" + k).then(function (docs) {
          docs.forEach(function (d, i) { shown[k * manifest.c + i] = d; });
        });
      })).then(function () {
        return hits.map(function (h) {
          var d = shown[h.id];
          return { n: d[0], t: d[1], u: d[2], anchor: h.anchor, text: h.text };
        });
      });
    });
  }
  function show(hits) {
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
      a.href = home + hit.u + (hit.anchor ? "#" + hit.anchor : "");
      var title = document.createElement("span");
      title.className = "hit-title";
      title.textContent = hit.n + ". " + hit.t;
      var text = document.createElement("span");
      text.className = "hit-text";
      text.textContent = hit.text;
      a.appendChild(title);
      a.appendChild(text);
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = hits.length ? hits.length + "" : form.getAttribute("data-empty");
    list.hidden = false;
  }
  function failed() {
    list.textContent = "";
    var li = document.createElement("li");
    li.className = "hit-none";
    li.textContent = form.getAttribute("data-failed");
    list.appendChild(li);
    list.hidden = false;
  }
  function run() {
    var query = input.value;
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { list.hidden = true; return; }
    load().then(function (index) {
      return sharded ? searchShards(index, words) : searchAll(index, words);
    }).then(function (hits) {
      if (input.value === query) show(hits);
    }, failed);
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
