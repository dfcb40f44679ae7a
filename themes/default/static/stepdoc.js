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
})();
