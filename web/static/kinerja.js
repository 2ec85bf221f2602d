// Progressive enhancement only: every page reads without this file. It draws the charts from
// the tables beside them, and keeps the review queue current while the page is open.
document.documentElement.classList.add("js");

function drawCharts() {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("script[type='application/json'][data-chart]").forEach((source) => {
    const spec = JSON.parse(source.textContent);
    const canvas = document.getElementById(source.dataset.chart);
    if (!canvas) return;
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map((series) => ({
          label: series.label, data: series.values, backgroundColor: series.colors || "#0b4f8a",
          borderColor: series.border || "#0b4f8a", spanGaps: false,
        })),
      },
      options: {
        animation: false, maintainAspectRatio: false, locale: "id-ID",
        plugins: { legend: { display: spec.series.length > 1 } },
        scales: spec.type === "doughnut" ? {} : { y: { beginAtZero: true } },
      },
    });
  });
}

function keepCurrent() {
  // The queue listens to the server's events (a report submitted, returned, approved) and fetches
  // itself again on each; EventSource reconnects on its own after a network drop.
  const live = document.querySelector("[data-refresh]");
  if (!live || typeof EventSource === "undefined") return;
  const refresh = async () => {
    try {
      const answer = await fetch(live.dataset.refresh, { credentials: "same-origin" });
      if (answer.ok) live.innerHTML = await answer.text();
    } catch (error) {
      // Offline for a moment: the next event tries again.
    }
  };
  const events = new EventSource(live.dataset.events);
  events.addEventListener("laporan", refresh);
  events.addEventListener("open", refresh); // after a reconnection, catch up on what was missed
}

function checkFileSizes() {
  // A file over a form's limit is refused here, beside its field, before it is sent whole only to
  // be refused by the server (which checks it again).
  document.querySelectorAll("input[type='file'][data-max-bytes]").forEach((input) => {
    input.addEventListener("change", () => {
      const tooLarge = Array.from(input.files || []).some((file) => file.size > Number(input.dataset.maxBytes));
      input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
      if (tooLarge) input.reportValidity();
    });
  });
}

document.addEventListener("DOMContentLoaded", () => { drawCharts(); keepCurrent(); checkFileSizes(); });
