/* 查一查: which services of a city's list apply to a child, computed in the browser. The form
   needs only data/finder.json (the choices, and where each list's services are); the services
   of the chosen list's region (data/finder/<region>.json) are fetched when a family asks, once
   per region, so a phone never downloads the whole country's. The rule is the one in
   compiler/publish/render/finder.py: the school stages follow the age and the chosen stage
   (`stagesFor`), a service applies when the age lies within its bounds, every condition is met
   and one of any_of; a provision whose own text adds a condition applies only when that
   condition is met; where the list falls below its floor, the floor's entitlement is shown with
   whom to ask.
   Results are built with textContent only: list text never becomes markup. Nothing is sent anywhere. */
(function () {
  "use strict";

  var PRE = "学前教育阶段", COMP = "义务教育阶段", HIGH = "普通高中教育阶段", VOC = "中等职业教育阶段";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function stagesFor(age, stage) {
    if ([PRE, COMP, HIGH, VOC].indexOf(stage) >= 0) {
      return stage === PRE && age >= 6 ? [PRE, COMP] : [stage];
    }
    if (stage === "final") return [COMP, HIGH, VOC];
    if (age < 3) return [];
    if (age < 6) return [PRE];
    if (age === 6) return [PRE, COMP];
    if (age < 15) return [COMP];
    if (age === 15) return [COMP, HIGH, VOC];
    return [HIGH, VOC];
  }

  function targetApplies(t, age, has) {
    if (age < t.age[0] || age > t.age[1]) return false;
    for (var i = 0; i < t.conditions.length; i++) {
      if (has.indexOf(t.conditions[i]) < 0) return false;
    }
    if (!t.any_of.length) return true;
    return t.any_of.some(function (c) { return has.indexOf(c) >= 0; });
  }

  function needsMet(p, has) {
    return p.needs.every(function (c) { return has.indexOf(c) >= 0; });
  }

  function reasonOf(reasons, c) { return reasons[c] || c; }

  function why(item, age, has, reasons) {
    var parts = ["孩子 " + age + " 岁"];
    item.conditions.concat(item.any_of).forEach(function (c) {
      if (has.indexOf(c) >= 0 && parts.indexOf(reasonOf(reasons, c)) < 0) parts.push(reasonOf(reasons, c));
    });
    return "为什么适用：因为" + parts.join("、") + "，符合“" + item.target + "”。";
  }

  function access(a) {
    var box = el("div", { "class": "qd-found-access" });
    if (!a) return box;
    var dl = el("dl");
    [["向谁申请", a.office], ["去哪里", a.where], ["办理时间", a.hours], ["收费", a.fees], ["多久办好", a.duration]]
      .forEach(function (row) {
        if (!row[1]) return;
        var div = el("div");
        div.appendChild(el("dt", {}, row[0]));
        div.appendChild(el("dd", {}, row[1]));
        dl.appendChild(div);
      });
    if (a.phone) {
      var div = el("div");
      div.appendChild(el("dt", {}, "咨询电话"));
      var dd = el("dd");
      dd.appendChild(el("a", { href: "tel:" + a.phone.replace(/-/g, ""), "class": "qd-tel" }, a.phone));
      div.appendChild(dd);
      dl.appendChild(div);
    }
    if (a.url) {
      var u = el("div");
      u.appendChild(el("dt", {}, "网上办理"));
      var udd = el("dd");
      udd.appendChild(el("a", { href: a.url, rel: "noopener noreferrer" }, a.url));
      u.appendChild(udd);
      dl.appendChild(u);
    }
    box.appendChild(dl);
    if (a.materials && a.materials.length) {
      box.appendChild(el("p", { "class": "qd-label" }, "要带的材料"));
      var ul = el("ul", { "class": "qd-materials" });
      a.materials.forEach(function (m) { ul.appendChild(el("li", {}, m)); });
      box.appendChild(ul);
    }
    return box;
  }

  function gapNote(gap, list, services) {
    var box = el("div", { "class": "qd-gap", role: "note", "data-gap": gap.item });
    box.appendChild(el("p", {}, "请注意：" + gap.why + "。" + gap.jurisdiction + "清单规定，" + gap.target +
      "可以享受“" + gap.service + "”："));
    var ul = el("ul");
    gap.provisions.forEach(function (t) { ul.appendChild(el("li", {}, "“" + t + "”")); });
    box.appendChild(ul);
    var contact = services.contact;
    var who = contact && contact.department
      ? contact.department + (contact.phone ? "（电话 " + contact.phone + "）" : "") + "咨询，也可以向" : "";
    box.appendChild(el("p", {}, "这是全省的底线，" + list.jurisdiction + "的孩子同样可以享受。如未能享受，可以向" +
      who + gap.departments.join("、") + "咨询。"));
    return box;
  }

  function message(result, text) {
    result.textContent = "";
    var p = el("p", { "class": "qd-note qd-message", role: "alert", tabindex: "-1" }, text);
    result.appendChild(p);
    p.focus();
  }

  // `services`: the list's entry in its shard (contact, items, gaps).
  function render(result, index, root, list, services, age, stage, circumstances) {
    result.textContent = "";
    var has = circumstances.concat(stagesFor(age, stage));
    var reasons = {};
    index.stages.concat(index.circumstances).forEach(function (c) { reasons[c.value] = c.reason; });
    var found = services.items.filter(function (item) { return targetApplies(item, age, has); });
    var gaps = services.gaps.filter(function (g) { return targetApplies(g, age, has); });
    var summary = list.jurisdiction + "：找到 " + found.length + " 项适用的服务";
    result.appendChild(el("h2", { id: "qd-result-title", tabindex: "-1" }, summary));
    if (list.sample) {
      result.appendChild(el("p", { "class": "qd-sample", role: "note" },
        "这是示例清单，不是" + list.jurisdiction + "的真实政策，结果只用于演示。"));
    }
    var page = new URL(list.page, root);
    var ul = el("ul", { "class": "qd-found" });
    var group = null, shownGaps = {};
    found.forEach(function (item) {
      if (item.group !== group) {
        group = item.group;
        ul.appendChild(el("li", { "class": "qd-found-group" }, group));
      }
      var li = el("li", { "class": "qd-found-item", "data-item": item.id });
      var h = el("h3");
      h.appendChild(el("a", { href: page.href + "#" + item.anchor }, item.service));
      if (item.local && item.service.indexOf("本地新增") < 0) h.appendChild(el("span", { "class": "qd-badge" }, "本地新增"));
      li.appendChild(h);
      li.appendChild(el("p", { "class": "qd-found-why" }, why(item, age, has, reasons)));
      if (item.plain) li.appendChild(el("p", { "class": "qd-found-plain" }, item.plain));
      li.appendChild(access(item.access));
      var yes = item.provisions.filter(function (p) { return needsMet(p, has); });
      var maybe = item.provisions.filter(function (p) { return !needsMet(p, has); });
      var d = el("details", { "class": "qd-more" });
      d.appendChild(el("summary", {}, "可以享受的内容（政策原文）"));
      var pl = el("ul", { "class": "qd-found-provisions" });
      yes.forEach(function (p) { pl.appendChild(el("li", {}, p.text)); });
      d.appendChild(pl);
      li.appendChild(d);
      if (maybe.length) {
        var m = el("div", { "class": "qd-found-maybe" });
        maybe.forEach(function (p) {
          m.appendChild(el("p", { "data-needs": p.needs.join(" ") },
            "如果" + p.needs.map(function (c) { return reasonOf(reasons, c); }).join("并且") + "，还可以：" + p.text));
        });
        li.appendChild(m);
      }
      gaps.forEach(function (g) {
        if (g.list_items.indexOf(item.id) >= 0) { li.appendChild(gapNote(g, list, services)); shownGaps[g.item] = true; }
      });
      ul.appendChild(li);
    });
    gaps.forEach(function (g) {
      if (shownGaps[g.item]) return;
      var li = el("li", { "class": "qd-found-item qd-found-floor", "data-gap": g.item });
      li.appendChild(el("h3", {}, g.service + "（" + g.jurisdiction + "清单规定）"));
      li.appendChild(gapNote(g, list, services));
      ul.appendChild(li);
    });
    result.appendChild(ul);
    result.appendChild(el("p", { "class": "qd-note" },
      "没有列出的服务，不等于一定不能享受，可以向负责部门咨询。"));
    result.querySelector("h2").focus();
  }

  function tooOld(result, index, age) {
    message(result, "流动儿童是不满 " + index.age_limit + " 周岁的孩子。" + age + " 岁的孩子不在这些清单的服务范围内，" +
      "可以向当地民政部门咨询其他帮助。");
  }

  function shardFailed(result, root, list) {
    message(result, list.jurisdiction + "的查询数据没有加载成功，请检查网络后再点一次“查一查”，或直接打开");
    var p = result.querySelector(".qd-message");
    p.appendChild(el("a", { href: new URL(list.page, root).href }, list.jurisdiction + "的清单"));
    p.appendChild(document.createTextNode("。"));
  }

  // Each shard is fetched once: a promise of its lists' services by id. A failed fetch is forgotten,
  // so the next 查一查 tries again.
  function shardLoader(root) {
    var shards = {}, loaded = {};
    return {
      loaded: function (list) { return loaded[list.services] === true; },
      services: function (list) {
        var path = list.services;
        if (!shards[path]) {
          shards[path] = fetch(new URL(path, root).href)
            .then(function (response) {
              if (!response.ok) throw new Error(response.status);
              return response.json();
            })
            .then(function (shard) {
              var byId = {};
              shard.lists.forEach(function (l) { byId[l.id] = l; });
              loaded[path] = true;
              return byId;
            });
          shards[path].catch(function () { delete shards[path]; });
        }
        return shards[path].then(function (byId) {
          if (!byId[list.id]) throw new Error(list.id);
          return byId[list.id];
        });
      }
    };
  }

  function start(form, index) {
    var result = document.getElementById("qd-result");
    var root = new URL("../", new URL(form.getAttribute("data-index"), location.href));
    var lists = {};
    index.lists.forEach(function (l) { lists[l.id] = l; });
    var loader = shardLoader(root);
    var asked = 0;  // only the latest 查一查 may show its result, whichever shard arrives first
    var city = form.elements.city;
    if (city.hasAttribute("data-fill")) {
      // A national portal's page leaves the lists out: each one, in the index's order, before the
      // options the page has (a province's own list, offered last).
      var first = city.firstElementChild;
      index.lists.forEach(function (l) {
        if (city.querySelector('option[value="' + CSS.escape(l.id) + '"]')) return;
        var option = document.createElement("option");
        option.value = l.id;
        option.textContent = l.jurisdiction + (l.sample ? "（示例）" : "");
        city.insertBefore(option, first);
      });
      city.value = city.options[0] ? city.options[0].value : "";
    }
    var params = new URLSearchParams(location.search);

    function submit() {
      var raw = form.elements.age.value.trim();
      var age = Number(raw);
      if (raw === "" || !Number.isInteger(age) || age < 0 || age > 30) {
        message(result, "请填写孩子的年龄：满几周岁就填几（整数）。");
        form.elements.age.focus();
        return;
      }
      var circumstances = [];
      Array.prototype.forEach.call(form.querySelectorAll("input[name=condition]:checked"), function (box) {
        circumstances.push(box.value);
      });
      var list = lists[form.elements.city.value];
      var stage = form.elements.stage.value;
      var ask = ++asked;
      if (age >= index.age_limit) {
        tooOld(result, index, age);
      } else {
        if (!loader.loaded(list)) {
          result.textContent = "";
          result.appendChild(el("p", { "class": "qd-note" }, "正在取得" + list.jurisdiction + "的服务……"));
        }
        loader.services(list).then(function (services) {
          if (ask === asked) render(result, index, root, list, services, age, stage, circumstances);
        }, function () {
          if (ask === asked) shardFailed(result, root, list);
        });
      }
      var query = new URLSearchParams({ city: list.id, age: String(age) });
      if (stage) query.append("stage", stage);
      circumstances.forEach(function (c) { query.append("c", c); });
      history.replaceState(null, "", "?" + query.toString());
    }

    form.noValidate = true;  // the script checks the age itself and says what is wrong
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
    form.hidden = false;

    // A shared link (?city=…&age=…&stage=…&c=…) fills the form and shows its result, or says what is wrong with it.
    var city = params.get("city"), age = params.get("age");
    if (city !== null && !lists[city]) {
      message(result, "链接里的城市“" + city + "”不在本站的清单中。请在上面重新选择城市后再查。");
      return;
    }
    if (city) form.elements.city.value = city;
    if (age !== null && !/^\d{1,2}$/.test(age.trim())) {
      message(result, "链接里的年龄“" + age + "”不是有效的周岁数。请在上面重新填写孩子的年龄后再查。");
      return;
    }
    if (age !== null) form.elements.age.value = age.trim();
    var stage = params.get("stage");
    if (stage && form.elements.stage.querySelector('option[value="' + CSS.escape(stage) + '"]')) form.elements.stage.value = stage;
    params.getAll("c").forEach(function (c) {
      if (form.elements.stage.querySelector('option[value="' + CSS.escape(c) + '"]')) form.elements.stage.value = c;
      var box = form.querySelector('input[name=condition][value="' + CSS.escape(c) + '"]');
      if (box) box.checked = true;
    });
    if (age !== null) submit();
  }

  function init() {
    var form = document.getElementById("qd-finder");
    if (!form) return;
    fetch(form.getAttribute("data-index"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (index) { start(form, index); })
      .catch(function () {
        document.getElementById("qd-result").textContent = "查询数据没有加载成功，请刷新页面再试，或直接打开你所在城市的清单。";
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
