/* 站内搜索: qingdan's own search (compiler/publish/render/search.py builds the index).
   Nothing is fetched until search is used: then search/manifest.json (places, synonyms, shards),
   and only the province shards the query needs. The query is segmented like the index: longest
   match against the index's own words, the synonyms and the place names, so 中考 stays 中考.
   A place named in the query ranks that place's pages first. Results are built with textContent. */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);
  var manifest = null, shards = {}, dialog = null;
  var MAX_WORD = 10;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function getJSON(rel) {
    return fetch(new URL(rel, root)).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return getJSON("search/manifest.json").then(function (m) { manifest = m; return m; });
  }

  function loadShard(id) {
    if (!shards[id]) shards[id] = getJSON(manifest.shards[id]);
    return shards[id];
  }

  /* Longest match, left to right, against `known(word)`; characters that start no known word are skipped. */
  function segment(text, known) {
    var out = [];
    text.toLowerCase().split(/[\s,，。、；;:：!！?？“”"'（）()·\-]+/).forEach(function (run) {
      var i = 0;
      while (i < run.length) {
        var found = null;
        for (var n = Math.min(MAX_WORD, run.length - i); n >= 1; n--) {
          var w = run.substr(i, n);
          if (known(w)) { found = w; break; }
        }
        if (found) { out.push(found); i += found.length; } else { i += 1; }
      }
    });
    return out;
  }

  function placesIn(query) {
    return segment(query, function (w) { return Object.prototype.hasOwnProperty.call(manifest.places, w); });
  }

  function shardsFor(places) {
    var ids = {};
    places.forEach(function (p) { ids[manifest.place_shard[p]] = true; });
    if (!Object.keys(ids).length) {
      var m = /\/lists\/([a-z0-9-]+)\//.exec(location.pathname);
      if (m && manifest.lists[m[1]]) ids[manifest.lists[m[1]]] = true;
    }
    var list = Object.keys(ids);
    return list.length ? list : Object.keys(manifest.shards);
  }

  function phraseScores(shard, words) {
    // A phrase (the words of one synonym) scores on the documents that contain all its words.
    var scores = null;
    words.forEach(function (w) {
      var hits = shard.terms[w];
      var next = {};
      (hits || []).forEach(function (h) {
        if (scores === null || scores[h[0]] !== undefined) next[h[0]] = (scores ? scores[h[0]] : 0) + h[1];
      });
      scores = next;
    });
    return scores || {};
  }

  function rank(query, loaded) {
    var places = placesIn(query);
    var cities = places.map(function (p) { return manifest.places[p]; });
    var has = function (w) {
      if (Object.prototype.hasOwnProperty.call(manifest.synonyms, w) || Object.prototype.hasOwnProperty.call(manifest.places, w)) return true;
      return loaded.some(function (s) { return Object.prototype.hasOwnProperty.call(s.terms, w); });
    };
    var tokens = segment(query, has).filter(function (t) { return !Object.prototype.hasOwnProperty.call(manifest.places, t); });
    var results = [];
    loaded.forEach(function (shard) {
      var total = {}, matched = {}, counted = 0;
      tokens.forEach(function (t) {
        var alternatives = [[t]].concat(manifest.synonyms[t] || []);
        var best = {};
        alternatives.forEach(function (words) {
          var s = phraseScores(shard, words);
          Object.keys(s).forEach(function (d) { if (!(best[d] >= s[d])) best[d] = s[d]; });
        });
        var docs = Object.keys(best);
        if (!docs.length) return;
        // A word on most cards (孩子, 流动儿童) adds to the score but does not decide coverage.
        var common = docs.length > shard.docs.length * 0.6;
        if (!common) counted += 1;
        docs.forEach(function (d) {
          total[d] = (total[d] || 0) + best[d];
          if (!common) matched[d] = (matched[d] || 0) + 1;
        });
      });
      if (!tokens.length && cities.length) {
        shard.docs.forEach(function (doc, d) { if (doc.k === "list") total[d] = 1; });
      }
      Object.keys(total).forEach(function (d) {
        var doc = shard.docs[d];
        var coverage = counted ? (matched[d] || 0) / counted : 1;
        if (counted && !matched[d]) return;
        var score = total[d] * coverage * coverage;
        if (cities.length) {
          var here = cities.some(function (c) { return doc.c.indexOf(c) === 0; });
          score *= here ? 4 : 0.25;
        }
        results.push({ doc: doc, score: score });
      });
    });
    results.sort(function (a, b) { return b.score - a.score; });
    return { results: results.slice(0, 30), tokens: tokens, cities: cities };
  }

  function search(query) {
    var status = document.getElementById("qd-search-status");
    var list = document.getElementById("qd-search-results");
    if (!query.trim()) { list.textContent = ""; list.setAttribute("data-query", query); status.textContent = "请输入想找的服务，例如“上学”“医保”“福州 低保”。"; return Promise.resolve(); }
    status.textContent = "正在搜索……";
    return loadManifest().then(function () {
      return Promise.all(shardsFor(placesIn(query)).map(loadShard));
    }).then(function (loaded) {
      if (document.getElementById("qd-search-input").value !== query) return;
      var found = rank(query, loaded);
      list.textContent = "";
      list.setAttribute("data-query", query);  // which query the results are for
      found.results.forEach(function (r) {
        var li = el("li", { "class": "qd-search-result" });
        var a = el("a", { href: new URL(r.doc.u, root).href, "class": "qd-search-link" });
        a.appendChild(el("span", { "class": "qd-search-title" }, r.doc.t));
        if (r.doc.c) a.appendChild(el("span", { "class": "qd-search-place" }, r.doc.c + (r.doc.g ? " · " + r.doc.g : "")));
        li.appendChild(a);
        if (r.doc.s) li.appendChild(el("p", { "class": "qd-search-snippet" }, r.doc.s));
        list.appendChild(li);
      });
      status.textContent = found.results.length
        ? "找到 " + found.results.length + " 条结果" + (found.cities.length ? "，" + found.cities.join("、") + "的排在前面。"
          : "。加上城市名（如“福州 " + query.trim() + "”），你所在城市的会排在前面。")
        : "没有找到。可以换个说法试试，比如“上学”“看病”“低保”，或者直接打开你所在城市的清单。";
    }).catch(function () {
      status.textContent = "搜索数据没有加载成功，请检查网络后再试。";
    });
  }

  function build() {
    dialog = el("dialog", { id: "qd-search", "class": "qd-search", "aria-labelledby": "qd-search-title" });
    var form = el("form", { role: "search", "class": "qd-search-form" });
    form.appendChild(el("h2", { id: "qd-search-title" }, "搜索服务"));
    form.appendChild(el("label", { "for": "qd-search-input" }, "想找什么服务？可以加上城市名，比如“福州 上学”"));
    var row = el("div", { "class": "qd-search-row" });
    var input = el("input", { id: "qd-search-input", type: "search", autocomplete: "off", enterkeyhint: "search" });
    row.appendChild(input);
    row.appendChild(el("button", { type: "submit" }, "搜索"));
    form.appendChild(row);
    var close = el("button", { type: "button", "class": "qd-search-close" }, "关闭搜索");
    form.appendChild(close);
    dialog.appendChild(form);
    dialog.appendChild(el("p", { id: "qd-search-status", role: "status", "aria-live": "polite" }));
    dialog.appendChild(el("ol", { id: "qd-search-results", "class": "qd-search-results", "aria-label": "搜索结果" }));
    document.body.appendChild(dialog);
    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); search(input.value); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      document.getElementById("qd-search-status").textContent = "正在搜索……";
      timer = setTimeout(function () { search(input.value); }, 150);
    });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () {
      var opener = document.getElementById("qd-search-open");
      if (opener) opener.focus();
    });
  }

  function open() {
    if (!dialog) build();
    dialog.showModal();
    var input = document.getElementById("qd-search-input");
    input.focus();
    input.select();
    loadManifest().catch(function () {});
  }

  function init() {
    var button = document.getElementById("qd-search-open");
    if (!button || !window.HTMLDialogElement) return;
    button.hidden = false;
    button.addEventListener("click", open);
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) && !(dialog && dialog.open)) {
        e.preventDefault();
        open();
      }
    });
  }

  window.qingdanSearch = { segment: segment };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
