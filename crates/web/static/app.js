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
});
