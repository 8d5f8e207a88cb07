// Behaviour that used to sit in inline event handlers (blocked by the Content-Security-Policy):
// <select data-autosubmit> submits its form on change; <a data-history-back> goes back one page;
// <form data-confirm="…"> asks the question before it is sent (and is not sent when the answer is no).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLElement && el.matches("[data-autosubmit]") && el.form) el.form.submit();
});
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("[data-history-back]") : null;
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
