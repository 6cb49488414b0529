// okra serve: reloads the page after each successful rebuild, keeping the
// scroll position, and shows the diagnostics of a broken edit as an overlay.
// Loaded only by `okra serve`, never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/live\.js(\?.*)?$/, "");
  var generation = Number((/[?&]g=(\d+)/.exec(script.src) || [0, 0])[1]);
  var key = "okra-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
    window.scrollTo(0, Number(saved));
  }

  var overlay = null;
  function problemList(problems) {
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    problems.forEach(function (e) {
      var item = document.createElement("li");
      item.textContent = (e.file ? e.file + (e.line ? ":" + e.line + ":" + e.column : "") + " " : "") +
        e.severity + "[" + e.code + "]: " + e.message + (e.hint ? " (help: " + e.hint + ")" : "");
      list.appendChild(item);
    });
    return list;
  }
  // Errors of a broken edit in full, over the page; warnings folded, in a
  // corner, so that they are seen without getting in the way.
  function showProblems(state) {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    var errors = state.errors || [];
    var warnings = state.warnings || [];
    if (errors.length === 0 && warnings.length === 0) return;
    overlay = document.createElement("div");
    overlay.id = "okra-overlay";
    var broken = errors.length > 0;
    overlay.setAttribute("role", broken ? "alert" : "status");
    overlay.style.cssText = "position:fixed;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;border-radius:8px;padding:" + (broken ? "1rem" : ".5rem .75rem") + ";" +
      "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 32px rgba(0,0,0,.4);" +
      (broken ? "left:1rem;background:#2b0b10;color:#ffe3e6;border:2px solid #ff6b7a"
        : "max-width:40rem;background:#2b2207;color:#fff4d6;border:1px solid #d4a72c");
    if (broken) {
      var title = document.createElement("strong");
      title.textContent = state.summary;
      overlay.appendChild(title);
      overlay.appendChild(problemList(errors));
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "position:absolute;top:.5rem;right:.5rem";
      close.addEventListener("click", function () { overlay.remove(); overlay = null; });
      overlay.appendChild(close);
    }
    if (warnings.length > 0) {
      var folded = document.createElement("details");
      folded.id = "okra-warnings";
      var summary = document.createElement("summary");
      var count = state.warning_count || warnings.length;
      summary.textContent = "okra: " + count + (count === 1 ? " warning" : " warnings") +
        (count > warnings.length ? " (the first " + warnings.length + " listed)" : "");
      folded.appendChild(summary);
      folded.appendChild(problemList(warnings));
      overlay.appendChild(folded);
    }
    document.body.appendChild(overlay);
  }

  function onState(state) {
    if (state.generation !== generation) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
      return true;
    }
    showProblems(state);
    return false;
  }

  // A browser opens at most six connections to one host, and each event
  // stream holds one for good: with one per tab, a seventh tab would never
  // load. So one tab at a time (the holder of a lock) listens, and passes
  // every state on to the other tabs over a broadcast channel; when it
  // closes or reloads, the lock passes to another tab.
  function listen(onDone) {
    var source = new EventSource(base + "events");
    source.addEventListener("state", function (event) {
      var state = JSON.parse(event.data);
      if (channel) channel.postMessage(state);
      if (onState(state)) {
        source.close();
        onDone();
      }
    });
  }

  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("okra-live:" + base) : null;
  if (channel && navigator.locks && navigator.locks.request) {
    channel.onmessage = function (event) { onState(event.data); };
    navigator.locks.request("okra-live:" + base, function () {
      return new Promise(function (resolve) { listen(resolve); });
    });
  } else {
    listen(function () {});
  }
})();
