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
  function showErrors(state) {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    if (!state.errors || state.errors.length === 0) return;
    overlay = document.createElement("div");
    overlay.id = "okra-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;background:#2b0b10;color:#ffe3e6;border:2px solid #ff6b7a;border-radius:8px;" +
      "padding:1rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 32px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = state.summary;
    overlay.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    state.errors.forEach(function (e) {
      var item = document.createElement("li");
      item.textContent = (e.file ? e.file + ":" + e.line + ":" + e.column + " " : "") +
        "error[" + e.code + "]: " + e.message + (e.hint ? " (help: " + e.hint + ")" : "");
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "position:absolute;top:.5rem;right:.5rem";
    close.addEventListener("click", function () { overlay.remove(); overlay = null; });
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  function onState(state) {
    if (state.generation !== generation) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
      return true;
    }
    showErrors(state);
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
