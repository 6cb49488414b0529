// okra: search and keyboard behaviour shared by every page. Nothing here
// loads from another host, and nothing from the index or the query is ever
// parsed as HTML: results are built from DOM nodes and textContent.
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  // Document kinds by their number in the index (see src/search.rs).
  var KINDS = ["objective", "key result", "KPI", "team", "page"];
  var KIND_SLUGS = ["objective", "key-result", "kpi", "team", "page"];
  var FOLDERS = ["objectives/", "objectives/", "kpis/", "teams/", "pages/"];
  var STOP_WORDS = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "our", "that", "the", "this", "to", "we", "with"];
  var FIELD_WEIGHT = [1, 2, 3, 4]; // body, other, key result, title
  var MAX_PREFIX_TERMS = 400;

  // ---- tokenising: must match src/search.rs ------------------------------

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0xac00 && n <= 0xd7af) || (n >= 0x1100 && n <= 0x11ff);
  }
  function isAlnum(c) {
    return /[\p{L}\p{N}]/u.test(c);
  }
  function isDigit(c) {
    return c >= "0" && c <= "9";
  }
  // Letters no accent removal turns into ASCII, as src/text.rs spells them.
  var SPELLED = { "ß": "ss", "æ": "ae", "đ": "d", "ð": "d", "ı": "i", "ł": "l", "œ": "oe", "ø": "o", "þ": "th" };
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[ßæđðıłœøþ]/g, function (c) { return SPELLED[c]; });
  }
  function tokens(text) {
    var chars = Array.from(fold(text));
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isCjk(c)) {
        var start = i;
        while (i < chars.length && isCjk(chars[i])) i++;
        var run = chars.slice(start, i);
        if (run.length === 1) out.push(run[0]);
        for (var j = 0; j + 1 < run.length; j++) out.push(run[j] + run[j + 1]);
      } else if (isAlnum(c)) {
        var word = "";
        while (i < chars.length) {
          var d = chars[i];
          var joins = (d === "." || d === ",") && word.length > 0 && isDigit(word[word.length - 1]) &&
            i + 1 < chars.length && isDigit(chars[i + 1]);
          if ((isAlnum(d) && !isCjk(d)) || joins) {
            if (d !== ",") word += d;
            i++;
          } else {
            break;
          }
        }
        out.push(word);
      } else {
        i++;
      }
    }
    return out;
  }

  // ---- the index ----------------------------------------------------------

  // The index is a set of scripts in assets/search/ (see src/search/index.rs),
  // each handing its part to okraIndex(name, data): "index" has the tables and
  // the first term of each "terms-N" shard, "docs-N" hold the documents and
  // "facets" the kind, team, period and status of each. A script element
  // works from file:// where fetch does not. Documents are numbered in rank
  // order for equal scores, so a number is all it takes to rank a result.
  var parts = {};
  var waiting = {};

  window.okraIndex = function (name, data) {
    parts[name] = data;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (cb) { cb(); });
  };

  // Loads the named parts that are not loaded yet, then calls back. A part
  // that fails to load counts as empty.
  function load(names, callback) {
    var missing = names.filter(function (name, i) {
      return !(name in parts) && names.indexOf(name) === i;
    });
    var left = missing.length;
    if (left === 0) {
      callback();
      return;
    }
    missing.forEach(function (name) {
      var first = !waiting[name];
      if (first) waiting[name] = [];
      waiting[name].push(function () { if (--left === 0) callback(); });
      if (!first) return;
      var script = document.createElement("script");
      script.src = root + "assets/search/" + name + ".js";
      script.onerror = function () { window.okraIndex(name, null); };
      document.head.appendChild(script);
    });
  }

  // Posting lists: numbers in base 32 whose last digit comes from one
  // alphabet and earlier digits from another (see src/search/index.rs),
  // each doc*4+field with the doc delta-encoded. Decoded to absolute
  // doc*4+field values.
  var LAST_DIGITS = "0123456789abcdefghijklmnopqrstuv";
  var MORE_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var digit = 0; digit < 32; digit++) {
    DIGIT[LAST_DIGITS.charCodeAt(digit)] = digit;
    DIGIT[MORE_DIGITS.charCodeAt(digit)] = digit + 32;
  }
  function numbers(text, each) {
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      if (d >= 32) {
        value = value * 32 + (d - 32);
      } else {
        each(value * 32 + d);
        value = 0;
      }
    }
  }
  function decode(list) {
    var out = [];
    var doc = 0;
    numbers(list, function (value) {
      doc += value >> 2;
      out.push(doc * 4 + (value & 3));
    });
    return out;
  }

  // The index's tables, loaded on first use: {teams, periods, statuses, docs,
  // docsPerShard, shards}, with scratch space for scoring.
  var index = null;
  function withIndex(callback) {
    load(["index"], function () {
      if (!index && parts.index) {
        index = parts.index;
        index.best = new Uint8Array(index.docs);
        index.decoded = {};
        index.views = {};
      }
      if (index) callback(index);
    });
  }

  // Last index in a sorted array whose value is <= key, or -1.
  function lastAtMost(sorted, key) {
    var lo = 0;
    var hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] <= key) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  // First index in a sorted array whose value is >= key.
  function lowerBound(sorted, key) {
    var lo = 0;
    var hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The term shards in which terms starting with `token` can lie.
  function shardsFor(idx, token) {
    var first = Math.max(0, lastAtMost(idx.shards, token));
    var out = ["terms-" + first];
    for (var s = first + 1; s < idx.shards.length && idx.shards[s].lastIndexOf(token, 0) === 0; s++) {
      out.push("terms-" + s);
    }
    return out;
  }

  // Calls each(term, postings) for the terms that `token` matches: the
  // first MAX_PREFIX_TERMS terms starting with it (only the first for a
  // one-letter token), across the shards shardsFor named.
  function eachMatch(idx, token, each) {
    var limit = token.length >= 2 || isCjk(token) ? MAX_PREFIX_TERMS : 1;
    var names = shardsFor(idx, token);
    for (var s = 0; s < names.length && limit > 0; s++) {
      var shard = parts[names[s]];
      if (!shard) continue;
      for (var t = lowerBound(shard.terms, token); t < shard.terms.length && limit > 0; t++, limit--) {
        var term = shard.terms[t];
        if (term.lastIndexOf(token, 0) !== 0) return;
        var key = names[s] + ":" + t;
        var list = idx.decoded[key];
        if (!list) {
          list = decode(shard.postings[t]);
          idx.decoded[key] = list;
        }
        each(term, list);
      }
    }
  }

  // Each document's facets, decoded once: kind, and team, period and status
  // as one more than their place in the tables (0 for none).
  function facets(idx) {
    if (!idx.facets && parts.facets) {
      var n = idx.docs;
      var f = { kind: new Uint8Array(n), team: new Int32Array(n), period: new Int32Array(n), status: new Int32Array(n) };
      var names = ["kind", "team", "period", "status"];
      var i = 0;
      numbers(parts.facets, function (value) {
        f[names[i % 4]][i >> 2] = value;
        i++;
      });
      idx.facets = f;
    }
    return idx.facets;
  }

  // A filter's value as the number the facets hold; -1 when it is set to
  // something no document has.
  function filterValue(idx, name, value) {
    if (name === "kind") return KIND_SLUGS.indexOf(value);
    var table = name === "team" ? idx.teams.map(function (t) { return t[0]; }) :
      name === "period" ? idx.periods : idx.statuses;
    var at = table.indexOf(value);
    return at < 0 ? -1 : at + 1;
  }

  // Every document matching all words and the filters, best first, as
  // document numbers; `idx` must have the shards the words need.
  function rank(idx, words, filters) {
    var best = idx.best;
    var total = null;
    for (var w = 0; w < words.length; w++) {
      var touched = [];
      eachMatch(idx, words[w], function (term, list) {
        var exact = term === words[w] ? 2 : 1;
        for (var i = 0; i < list.length; i++) {
          var doc = list[i] >> 2;
          var score = FIELD_WEIGHT[list[i] & 3] * exact;
          if (best[doc] === 0) touched.push(doc);
          if (score > best[doc]) best[doc] = score;
        }
      });
      if (total === null) {
        total = new Map();
        touched.forEach(function (doc) { total.set(doc, best[doc]); });
      } else {
        var next = new Map();
        total.forEach(function (score, doc) {
          if (best[doc] > 0) next.set(doc, score + best[doc]);
        });
        total = next;
      }
      touched.forEach(function (doc) { best[doc] = 0; });
      if (total.size === 0) return [];
    }
    var checks = [];
    var f = filters ? facets(idx) : null;
    if (f) {
      Object.keys(filters).forEach(function (name) {
        if (filters[name]) checks.push([f[name], filterValue(idx, name, filters[name])]);
      });
    }
    var results = [];
    total.forEach(function (score, doc) {
      for (var c = 0; c < checks.length; c++) {
        if (checks[c][0][doc] !== checks[c][1]) return;
      }
      results.push([score, doc]);
    });
    results.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return results.map(function (r) { return r[1]; });
  }

  // The documents matching `query` and `filters` (null for none), best
  // first, handed to callback(idx, results, words) once the shards they
  // need are loaded.
  function search(query, filters, callback) {
    withIndex(function (idx) {
      var words = searchWords(query);
      var names = [];
      words.forEach(function (w) { names = names.concat(shardsFor(idx, w)); });
      var filtered = filters && Object.keys(filters).some(function (name) { return filters[name]; });
      if (filtered) names.push("facets");
      load(names, function () {
        callback(idx, words.length === 0 ? [] : rank(idx, words, filtered ? filters : null), words);
      });
    });
  }

  function rawDoc(idx, i) {
    var shard = parts["docs-" + Math.floor(i / idx.docsPerShard)];
    return shard ? shard[i % idx.docsPerShard] : null;
  }

  // A document as the page shows it: {kind, k, t, u, o, g, p, s, x}; its
  // shard (and for a key result, its objective's) must be loaded.
  function view(idx, i) {
    var cached = idx.views[i];
    if (cached) return cached;
    var d = rawDoc(idx, i);
    if (!d) return null;
    if (d.length === 4) {
      // A key result: [title, id (a number n for "krN"), objective, status].
      var objective = view(idx, d[2]);
      if (!objective) return null;
      var id = typeof d[1] === "number" ? "kr" + d[1] : d[1];
      cached = {
        kind: 1, k: KIND_SLUGS[1], t: d[0], u: objective.u + "#kr-" + id, o: objective.o, g: objective.g,
        p: objective.p, s: d[3] >= 0 ? idx.statuses[d[3]] : "", x: objective.t
      };
    } else {
      var team = d[3] >= 0 ? idx.teams[d[3]] : null;
      cached = {
        kind: d[0],
        k: KIND_SLUGS[d[0]],
        t: d[1],
        u: FOLDERS[d[0]] + d[2] + ".html",
        o: d[0] === 3 ? "" : team ? team[1] : "",
        g: team ? team[0] : "",
        p: d[4] >= 0 ? idx.periods[d[4]] : "",
        s: d[5] >= 0 ? idx.statuses[d[5]] : "",
        x: d[6]
      };
    }
    idx.views[i] = cached;
    return cached;
  }

  // Loads the documents numbered `docs`, and the objectives of those that
  // are key results, then calls back with their views.
  function withViews(idx, docs, callback) {
    var shardOf = function (i) { return "docs-" + Math.floor(i / idx.docsPerShard); };
    load(docs.map(shardOf), function () {
      var objectives = [];
      docs.forEach(function (i) {
        var d = rawDoc(idx, i);
        if (d && d.length === 4) objectives.push(shardOf(d[2]));
      });
      load(objectives, function () {
        callback(docs.map(function (i) { return view(idx, i); }).filter(function (v) { return v; }));
      });
    });
  }

  // The query's tokens that are indexed (common words are not).
  function searchWords(query) {
    return tokens(query).filter(function (w) { return STOP_WORDS.indexOf(w) < 0; });
  }

  // ---- rendering results, as DOM nodes ------------------------------------

  // Appends `text` to `parent`, wrapping the words that match the query in
  // <mark>: a word matches when its folded form starts with a query token;
  // CJK tokens are marked where they occur.
  function appendMarked(parent, text, words) {
    var parts = text.split(/([\p{L}\p{N}]+)/u);
    var cjk = words.filter(function (w) { return isCjk(w[0]); });
    parts.forEach(function (part) {
      if (!part) return;
      var folded = fold(part);
      if (cjk.length > 0 && /[\p{L}\p{N}]/u.test(part)) {
        var hit = null;
        cjk.forEach(function (w) {
          var at = folded.indexOf(w);
          if (at >= 0 && (hit === null || at < hit.at)) hit = { at: at, len: w.length };
        });
        if (hit && folded.length === part.length) {
          parent.appendChild(document.createTextNode(part.slice(0, hit.at)));
          var m = document.createElement("mark");
          m.textContent = part.slice(hit.at, hit.at + hit.len);
          parent.appendChild(m);
          appendMarked(parent, part.slice(hit.at + hit.len), words);
          return;
        }
      }
      var matches = /[\p{L}\p{N}]/u.test(part) && words.some(function (w) {
        return folded.lastIndexOf(w, 0) === 0;
      });
      if (matches) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  // A result: a link on the search page, or (with an id) an option of the
  // dropdown's listbox, which holds no link of its own and opens on click.
  function resultNode(d, words, id) {
    var item = document.createElement("li");
    var title = document.createElement(id ? "span" : "a");
    title.className = "result-title";
    if (id) {
      item.id = id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-href", root + d.u);
      item.addEventListener("click", function () { window.location.href = item.getAttribute("data-href"); });
    } else {
      title.href = root + d.u;
    }
    appendMarked(title, d.t, words);
    item.appendChild(title);
    var meta = document.createElement("span");
    meta.className = "result-meta";
    var bits = [KINDS[d.kind]];
    if (d.o) bits.push(d.o);
    if (d.p) bits.push(d.p);
    if (d.s) bits.push(d.s.replace(/-/g, " "));
    meta.textContent = bits.join(" · ");
    item.appendChild(meta);
    if (d.x) {
      var snippet = document.createElement("span");
      snippet.className = "result-snippet";
      appendMarked(snippet, d.x, words);
      item.appendChild(snippet);
    }
    return item;
  }

  // ---- the box on every page: results as you type -------------------------

  var box = document.getElementById("search-input");
  var dropdown = null;
  var active = -1;

  function closeDropdown() {
    if (dropdown) dropdown.hidden = true;
    active = -1;
    if (box) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
  }

  function options() {
    return dropdown ? dropdown.querySelectorAll("li[role=option]") : [];
  }

  function open(option) {
    window.location.href = option.getAttribute("data-href");
  }

  function setActive(i) {
    var items = options();
    if (items.length === 0) return;
    active = (i + items.length) % items.length;
    items.forEach(function (item, n) { item.setAttribute("aria-selected", n === active ? "true" : "false"); });
    box.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function showDropdown() {
    var query = box.value;
    search(query, null, function (idx, results, words) {
      withViews(idx, results.slice(0, 8), function (shown) {
        if (box.value !== query) return;
        dropdown.textContent = "";
        active = -1;
        box.removeAttribute("aria-activedescendant");
        if (words.length === 0) {
          closeDropdown();
          return;
        }
        var list = document.createElement("ul");
        list.id = "search-listbox";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Search results");
        shown.forEach(function (d, i) {
          list.appendChild(resultNode(d, words, "search-option-" + i));
        });
        dropdown.appendChild(list);
        var more = document.createElement("p");
        var all = document.createElement("a");
        all.href = root + "search.html?q=" + encodeURIComponent(query);
        all.textContent = results.length === 0 ? "No results" : "All " + results.length + " results";
        more.className = "result-all";
        more.appendChild(all);
        dropdown.appendChild(more);
        dropdown.hidden = false;
        box.setAttribute("aria-expanded", "true");
      });
    });
  }

  if (box) {
    dropdown = document.createElement("div");
    dropdown.id = "search-dropdown";
    dropdown.className = "search-dropdown";
    dropdown.hidden = true;
    box.parentNode.appendChild(dropdown);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-controls", "search-listbox");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-autocomplete", "list");
    box.addEventListener("focus", function () { withIndex(function () {}); });
    box.addEventListener("input", showDropdown);
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (dropdown.hidden) showDropdown(); else setActive(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        setActive(active - 1);
      } else if (event.key === "Escape") {
        closeDropdown();
      } else if (event.key === "Enter") {
        var items = options();
        if (active >= 0 && items[active]) {
          event.preventDefault();
          open(items[active]);
        }
      }
    });
    document.addEventListener("click", function (event) {
      if (!box.parentNode.contains(event.target)) closeDropdown();
    });
  }

  // "/" focuses the search box, as on most sites with search: the one in
  // the header, or on the search page (which has no other) its own.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
    var field = box || document.getElementById("search-page-input");
    if (event.key === "/" && !typing && field) {
      event.preventDefault();
      field.focus();
    }
  });

  // ---- the search page: full results with filters -------------------------

  var pageInput = document.getElementById("search-page-input");
  var resultsNode = document.getElementById("search-results");
  if (pageInput && resultsNode) {
    var form = pageInput.form;
    var selects = {};
    ["kind", "period", "team", "status"].forEach(function (name) {
      selects[name] = document.getElementById("filter-" + name);
    });
    var params = new URLSearchParams(window.location.search);
    pageInput.value = params.get("q") || "";

    var filled = false;
    var fillFilters = function (idx) {
      if (filled) return;
      filled = true;
      var tables = {
        period: idx.periods.map(function (p) { return [p, p]; }),
        team: idx.teams.slice().sort(function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; }),
        status: idx.statuses.slice().sort().map(function (s) { return [s, s.replace(/-/g, " ")]; })
      };
      Object.keys(tables).forEach(function (name) {
        var select = selects[name];
        if (!select) return;
        tables[name].forEach(function (pair) {
          var option = document.createElement("option");
          option.value = pair[0];
          option.textContent = pair[1];
          select.appendChild(option);
        });
      });
      Object.keys(selects).forEach(function (name) {
        if (selects[name]) selects[name].value = params.get(name) || "";
      });
    };

    var run = function (updateUrl) {
      var query = pageInput.value;
      var filters = {};
      var url = new URLSearchParams();
      if (query) url.set("q", query);
      Object.keys(selects).forEach(function (name) {
        var value = selects[name] ? selects[name].value : "";
        // Before the selects have their options, the URL says.
        if (!filled) value = params.get(name) || "";
        filters[name] = value;
        if (value) url.set(name, value);
      });
      search(query, filters, function (idx, results, words) {
        fillFilters(idx);
        var newSearch = "?" + url.toString();
        if (updateUrl && newSearch !== window.location.search) {
          try {
            window.history.replaceState(null, "", newSearch);
          } catch (e) {
            // file:// pages may not rewrite their URL; a changed filter then
            // reloads the page with it, and typing leaves the URL alone.
            if (updateUrl === "filter") {
              window.location.search = newSearch;
              return;
            }
          }
        }
        withViews(idx, results.slice(0, 200), function (shown) {
          if (pageInput.value !== query) return;
          resultsNode.textContent = "";
          var summary = document.createElement("p");
          summary.className = "result-count";
          summary.textContent = words.length === 0 ? "Type a word to search." :
            results.length === 1 ? "1 result" : results.length + " results";
          resultsNode.appendChild(summary);
          if (results.length === 0) return;
          var list = document.createElement("ol");
          list.className = "results";
          shown.forEach(function (d) { list.appendChild(resultNode(d, words, null)); });
          resultsNode.appendChild(list);
        });
      });
    };

    pageInput.addEventListener("input", function () { run(true); });
    Object.keys(selects).forEach(function (name) {
      if (selects[name]) selects[name].addEventListener("change", function () { run("filter"); });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(true);
    });
    if (pageInput.value || params.toString()) run(false);
  }

  // Printing (for the quarterly review): every folded section opens, and
  // closes again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      openedForPrint.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  // For tests and benchmarks: the same functions the page uses.
  window.okraSearch = {
    tokens: tokens, fold: fold, words: searchWords, withIndex: withIndex, search: search, withViews: withViews,
    loaded: function () { return Object.keys(parts); }
  };
})();
