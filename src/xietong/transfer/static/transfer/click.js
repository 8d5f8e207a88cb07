// A click on a recommended listing is counted by a POST beacon from the person's browser; the link
// itself goes straight to the listing, so crawlers and link prefetchers following it count nothing.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-click-url]") : null;
  if (!link) return;
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  const form = new FormData();
  form.append("csrfmiddlewaretoken", headers["X-CSRFToken"] || "");
  const url = link.getAttribute("data-click-url");
  if (!(navigator.sendBeacon && navigator.sendBeacon(url, form))) {
    fetch(url, { method: "POST", body: form, credentials: "same-origin", keepalive: true });
  }
});
