/* 查一查: which services of a city's list apply to a child, computed in the browser from
   data/finder.json. The rule is the one in compiler/render/finder.py (`applies`): the age lies
   within the service's bounds, every condition is met, and one of the any_of conditions.
   Results are built with textContent only: list text never becomes markup. Nothing is sent anywhere. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function applies(item, age, circumstances) {
    if (age < item.age[0] || age > item.age[1]) return false;
    for (var i = 0; i < item.conditions.length; i++) {
      if (circumstances.indexOf(item.conditions[i]) < 0) return false;
    }
    if (!item.any_of.length) return true;
    return item.any_of.some(function (c) { return circumstances.indexOf(c) >= 0; });
  }

  function render(result, index, root, list, age, circumstances) {
    result.textContent = "";
    if (age >= index.age_limit) {
      result.appendChild(el("p", { "class": "qd-note" },
        "流动儿童是不满 " + index.age_limit + " 周岁的孩子。" + age + " 岁的孩子不在这些清单的服务范围内，可以向当地民政部门咨询其他帮助。"));
      return;
    }
    var found = list.items.filter(function (item) { return applies(item, age, circumstances); });
    var summary = list.jurisdiction + "：找到 " + found.length + " 项适用的服务";
    result.appendChild(el("h2", { id: "qd-result-title", tabindex: "-1" }, summary));
    if (list.sample) {
      result.appendChild(el("p", { "class": "qd-sample", role: "note" },
        "这是示例清单，不是" + list.jurisdiction + "的真实政策，结果只用于演示。"));
    }
    var page = new URL(list.page, root);
    var ul = el("ul", { "class": "qd-found" });
    var group = null;
    found.forEach(function (item) {
      if (item.group !== group) {
        group = item.group;
        ul.appendChild(el("li", { "class": "qd-found-group" }, group));
      }
      var li = el("li", { "class": "qd-found-item", "data-item": item.id });
      var link = el("a", { href: page.href + "#" + item.anchor }, item.number + ". " + item.service);
      li.appendChild(link);
      if (item.local) li.appendChild(el("span", { "class": "qd-badge" }, "本地新增"));
      li.appendChild(el("span", { "class": "qd-found-target" }, "服务对象：" + item.target));
      if (item.plain) li.appendChild(el("span", { "class": "qd-found-plain" }, item.plain));
      ul.appendChild(li);
    });
    result.appendChild(ul);
    result.appendChild(el("p", { "class": "qd-note" },
      "有的服务还有更细的条件（例如家庭经济困难），请打开每项服务看原文。没有列出的服务，不等于一定不能享受，可以向责任部门咨询。"));
    result.querySelector("h2").focus();
  }

  function start(form, index) {
    var result = document.getElementById("qd-result");
    var root = new URL("../", new URL(form.getAttribute("data-index"), location.href));
    var lists = {};
    index.lists.forEach(function (l) { lists[l.id] = l; });
    var params = new URLSearchParams(location.search);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var age = parseInt(form.elements.age.value, 10);
      if (isNaN(age) || age < 0) { form.elements.age.focus(); return; }
      var circumstances = [];
      if (form.elements.stage.value) circumstances.push(form.elements.stage.value);
      Array.prototype.forEach.call(form.querySelectorAll("input[name=condition]:checked"), function (box) {
        circumstances.push(box.value);
      });
      var list = lists[form.elements.city.value];
      render(result, index, root, list, age, circumstances);
      var query = new URLSearchParams({ city: list.id, age: String(age) });
      circumstances.forEach(function (c) { query.append("c", c); });
      history.replaceState(null, "", "?" + query.toString());
    });

    // A shared link (?city=…&age=…&c=…) fills the form and shows its result.
    if (params.get("city") && lists[params.get("city")]) form.elements.city.value = params.get("city");
    if (params.get("age")) form.elements.age.value = params.get("age");
    params.getAll("c").forEach(function (c) {
      if (form.elements.stage.querySelector('option[value="' + CSS.escape(c) + '"]')) form.elements.stage.value = c;
      var box = form.querySelector('input[name=condition][value="' + CSS.escape(c) + '"]');
      if (box) box.checked = true;
    });
    form.hidden = false;
    if (params.get("age")) form.requestSubmit();
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
