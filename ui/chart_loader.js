// Loads Plotly's basic bundle and its French locale once per browser tab (window.essPlotly);
// every caller gets the same promise. Run early by the page shell (ui/chart.preload), so the
// library loads while the page runs, and again by the chart component (ui/chart.js).
window.essPlotly = window.essPlotly || function (base) {
  if (window.essPlotlyLoading) return window.essPlotlyLoading;
  const script = (src) => new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = src;
    tag.onload = resolve;
    tag.onerror = () => reject(new Error(src));
    document.head.appendChild(tag);
  });
  window.essPlotlyLoading = script(base + "plotly-basic.min.js")
    .then(() => script(base + "plotly-locale-fr.js"))
    .then(() => window.Plotly);
  window.essPlotlyLoading.catch(() => { window.essPlotlyLoading = null; });  // a later try
  return window.essPlotlyLoading;
};
