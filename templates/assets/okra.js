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
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
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

  var index = null;
  var loading = [];

  // Posting lists: numbers in base 32 whose last digit comes from one
  // alphabet and earlier digits from another (see src/search.rs), each
  // doc*4+field with the doc delta-encoded.
  var LAST_DIGITS = "0123456789abcdefghijklmnopqrstuv";
  var MORE_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";
  var DIGIT = {};
  for (var digit = 0; digit < 32; digit++) {
    DIGIT[LAST_DIGITS[digit]] = digit;
    DIGIT[MORE_DIGITS[digit]] = digit + 32;
  }
  function decode(list) {
    var out = [];
    var doc = 0;
    var value = 0;
    for (var i = 0; i < list.length; i++) {
      var d = DIGIT[list[i]];
      if (d >= 32) {
        value = value * 32 + (d - 32);
      } else {
        value = value * 32 + d;
        doc += value >> 2;
        out.push([doc, value & 3]);
        value = 0;
      }
    }
    return out;
  }

  // Loads assets/search-index.js once, on first use. A script element works
  // from file:// where fetch does not.
  function withIndex(callback) {
    if (index) {
      callback(index);
      return;
    }
    loading.push(callback);
    if (loading.length > 1) return;
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      var data = window.OKRA_SEARCH;
      index = {
        docs: data.docs, terms: data.terms, postings: data.postings, teams: data.teams,
        periods: data.periods, statuses: data.statuses, decoded: {}, views: {}
      };
      var waiting = loading;
      loading = [];
      waiting.forEach(function (cb) { cb(index); });
    };
    document.head.appendChild(script);
  }

  function postingsOf(idx, termIndex) {
    var cached = idx.decoded[termIndex];
    if (!cached) {
      cached = decode(idx.postings[termIndex]);
      idx.decoded[termIndex] = cached;
    }
    return cached;
  }

  // First index of a term >= prefix, by binary search over the sorted terms.
  function lowerBound(terms, prefix) {
    var lo = 0;
    var hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // doc → best score for one query token (exact matches count double).
  function matchToken(idx, token) {
    var scores = new Map();
    var start = lowerBound(idx.terms, token);
    var limit = token.length >= 2 || isCjk(token) ? MAX_PREFIX_TERMS : 1;
    for (var t = start, n = 0; t < idx.terms.length && n < limit; t++, n++) {
      var term = idx.terms[t];
      if (term.lastIndexOf(token, 0) !== 0) break;
      var exact = term === token ? 2 : 1;
      var list = postingsOf(idx, t);
      for (var i = 0; i < list.length; i++) {
        var score = FIELD_WEIGHT[list[i][1]] * exact;
        var old = scores.get(list[i][0]);
        if (old === undefined || score > old) scores.set(list[i][0], score);
      }
    }
    return scores;
  }

  // A document as the page shows it: {kind, k, t, u, o, g, p, s, x}.
  function view(idx, i) {
    var cached = idx.views[i];
    if (cached) return cached;
    var d = idx.docs[i];
    if (d.length === 4) {
      // A key result: [title, id (a number n for "krN"), objective, status].
      var objective = view(idx, d[2]);
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

  // The query's tokens that are indexed (common words are not).
  function searchWords(query) {
    return tokens(query).filter(function (w) { return STOP_WORDS.indexOf(w) < 0; });
  }

  // Every document matching all tokens and the filters, best first.
  function search(idx, query, filters) {
    var words = searchWords(query);
    if (words.length === 0) return [];
    var total = null;
    for (var w = 0; w < words.length; w++) {
      var scores = matchToken(idx, words[w]);
      if (total === null) {
        total = scores;
      } else {
        var next = new Map();
        total.forEach(function (score, doc) {
          var more = scores.get(doc);
          if (more !== undefined) next.set(doc, score + more);
        });
        total = next;
      }
      if (total.size === 0) return [];
    }
    var results = [];
    total.forEach(function (score, doc) {
      var d = view(idx, doc);
      if (filters) {
        if (filters.kind && d.k !== filters.kind) return;
        if (filters.period && d.p !== filters.period) return;
        if (filters.team && d.g !== filters.team) return;
        if (filters.status && d.s !== filters.status) return;
      }
      results.push({ doc: d, score: score });
    });
    results.sort(function (a, b) {
      return b.score - a.score || a.doc.t.length - b.doc.t.length || a.doc.kind - b.doc.kind ||
        (a.doc.t < b.doc.t ? -1 : a.doc.t > b.doc.t ? 1 : 0);
    });
    return results;
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
  function resultNode(result, words, id) {
    var d = result.doc;
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
    withIndex(function (idx) {
      if (box.value !== query) return;
      var words = searchWords(query);
      var results = search(idx, query, null);
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
      results.slice(0, 8).forEach(function (r, i) {
        list.appendChild(resultNode(r, words, "search-option-" + i));
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

  // "/" focuses the search box, as on most sites with search.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
    if (event.key === "/" && !typing && box) {
      event.preventDefault();
      box.focus();
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
      withIndex(function (idx) {
        fillFilters(idx);
        var filters = {};
        var url = new URLSearchParams();
        if (query) url.set("q", query);
        Object.keys(selects).forEach(function (name) {
          var value = selects[name] ? selects[name].value : "";
          filters[name] = value;
          if (value) url.set(name, value);
        });
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
        var words = searchWords(query);
        var results = search(idx, query, filters);
        resultsNode.textContent = "";
        var summary = document.createElement("p");
        summary.className = "result-count";
        summary.textContent = words.length === 0 ? "Type a word to search." :
          results.length === 1 ? "1 result" : results.length + " results";
        resultsNode.appendChild(summary);
        if (results.length === 0) return;
        var list = document.createElement("ol");
        list.className = "results";
        results.slice(0, 200).forEach(function (r) { list.appendChild(resultNode(r, words, null)); });
        resultsNode.appendChild(list);
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
  window.okraSearch = { tokens: tokens, fold: fold, withIndex: withIndex, search: search };
})();
