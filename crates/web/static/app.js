// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before irreversible actions.
  for (const button of document.querySelectorAll("button.danger")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm("确定要执行“" + button.textContent.trim() + "”吗？")) {
        event.preventDefault();
      }
    });
  }
  // A character counter under every text box with a limit ("已输入 120 / 5000 字").
  for (const box of document.querySelectorAll("textarea[maxlength]")) {
    const max = Number(box.getAttribute("maxlength"));
    const counter = document.createElement("span");
    counter.className = "counter hint";
    counter.setAttribute("aria-live", "polite");
    const update = () => {
      const n = Array.from(box.value).length;
      counter.textContent = "已输入 " + n + " / " + max + " 字";
      counter.classList.toggle("over", n >= max);
    };
    box.addEventListener("input", update);
    box.insertAdjacentElement("afterend", counter);
    update();
  }
  // The meeting form: who is expected follows the kind (the committee for a 支委会, nobody in
  // particular for a 谈心谈话, the members otherwise). Changing the kind moves people between
  // 应到 (ticked, with an absence reason) and 列席 (unticked, no reason), as the server would.
  const kind = document.querySelector("select[data-kind-select]");
  if (kind) {
    const form = kind.form;
    const expectedBox = form.querySelector("[data-expected-people]");
    const otherBox = form.querySelector("[data-other-people]");
    const observers = form.querySelector("[data-observers]");
    const legend = form.querySelector("[data-legend-text]");
    const note = form.querySelector("[data-default-note]");
    kind.addEventListener("change", () => {
      const code = kind.value;
      const people = Array.from(form.querySelectorAll("[data-person]"));
      const expects = (p) =>
        code === "heart_talk" ? false : code === "committee_meeting" ? p.hasAttribute("data-committee") : true;
      const anyExpected = people.some(expects);
      for (const p of people) {
        const expected = anyExpected && expects(p);
        const inExpected = !anyExpected || expected;
        const tick = p.querySelector("input[type=checkbox]");
        const reason = p.querySelector("label.reason");
        const reasonBox = reason && reason.querySelector("input");
        (inExpected ? expectedBox : otherBox).appendChild(p);
        tick.checked = expected;
        if (reason) {
          reason.hidden = !expected;
          reasonBox.disabled = !expected;
        }
      }
      legend.textContent = kind.selectedOptions[0].dataset.legend || "";
      note.hidden = !anyExpected;
      observers.hidden = !anyExpected || !people.some((p) => !expects(p));
    });
  }
  // The template editor: each indicator shows the anchors its rule uses, and the scored
  // points are summed as they are typed (the server checks again on save).
  const uses = {
    share: ["p-weight"], up: ["p-weight", "p-anchors"], down: ["p-weight", "p-anchors"],
    graded: ["p-weight", "p-grades"], deduction: ["p-per"], bonus: ["p-per"],
    veto: ["p-grade"], honour: ["p-grade"], "": [],
  };
  const total = document.getElementById("weight-total");
  const sum = () => {
    if (!total) return;
    let t = 0;
    for (const set of document.querySelectorAll("fieldset.indicator")) {
      const rule = set.querySelector("select.rule-kind").value;
      const removed = set.querySelector("input[name$='.remove']");
      const w = set.querySelector("input[name$='.weight']");
      if ((uses[rule] || []).includes("p-weight") && !(removed && removed.checked) && w) {
        const x = parseFloat(w.value);
        if (!isNaN(x)) t += x;
      }
    }
    total.textContent = String(Math.round(t * 100) / 100);
    total.classList.toggle("total-bad", Math.abs(t - 100) > 1e-6);
  };
  for (const set of document.querySelectorAll("fieldset.indicator")) {
    const select = set.querySelector("select.rule-kind");
    const show = () => {
      for (const part of ["p-weight", "p-anchors", "p-per", "p-grades", "p-grade"]) {
        for (const el of set.getElementsByClassName(part)) {
          el.hidden = !(uses[select.value] || []).includes(part);
        }
      }
      sum();
    };
    select.addEventListener("change", show);
    set.addEventListener("input", sum);
  }
  // The manual value form: only the field the chosen indicator takes.
  const code = document.querySelector("#form-manual select[name=code]");
  if (code) {
    const show = () => {
      const kind = code.selectedOptions[0] ? code.selectedOptions[0].dataset.kind : "";
      for (const el of document.querySelectorAll("#form-manual [data-for]")) {
        el.hidden = el.dataset.for !== kind;
      }
    };
    code.addEventListener("change", show);
    show();
  }
});
