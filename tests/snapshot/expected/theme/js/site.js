// Progressive enhancements; the site works fully without them.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});

// Text size (A− A A+): a step kept in localStorage, applied as data-text-size on <html>;
// main.css maps each step to --bt-text-scale, so rem sizes follow and browser zoom still works.
(() => {
  const KEY = "bt-text-size";
  const STEPS = [-1, 0, 1, 2, 3];
  const PERCENT = { "-1": 90, 0: 100, 1: 115, 2: 130, 3: 150 };
  const root = document.documentElement;

  const read = () => {
    try {
      const step = Number(window.localStorage.getItem(KEY));
      return STEPS.includes(step) ? step : 0;
    } catch {
      return 0; // storage blocked: default size
    }
  };

  const apply = (step) => {
    if (step === 0) root.removeAttribute("data-text-size");
    else root.setAttribute("data-text-size", String(step));
  };

  apply(read());

  document.addEventListener("DOMContentLoaded", () => {
    const status = document.querySelector("[data-text-size-status]");
    for (const control of document.querySelectorAll("[data-text-size-control]")) {
      control.hidden = false;
      control.addEventListener("click", (event) => {
        const button = event.target.closest("[data-text-size-step]");
        if (!button) return;
        const change = Number(button.dataset.textSizeStep);
        const current = Number(root.getAttribute("data-text-size") || 0);
        const wanted = change === 0 ? 0 : current + change;
        const step = Math.min(Math.max(wanted, STEPS[0]), STEPS[STEPS.length - 1]);
        try {
          if (step === 0) window.localStorage.removeItem(KEY);
          else window.localStorage.setItem(KEY, String(step));
        } catch {
          // storage blocked: the size still changes for this page
        }
        apply(step);
        if (status) status.textContent = `Cỡ chữ ${PERCENT[step]}%`;
      });
    }
  });
})();
