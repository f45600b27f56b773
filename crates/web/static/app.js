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
});
