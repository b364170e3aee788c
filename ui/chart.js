// A Plotly figure drawn with Plotly's basic bundle, served by the dashboard itself
// (static/vendor/, fetched by `make vendor`): a quarter of the bundle st.plotly_chart loads.
// The library is loaded once per browser tab by ui/chart_loader.js (prepended to this module),
// usually already started by the page shell; Plotly.react redraws a chart in place when a
// rerun sends a new figure.

export default function (component) {
  const { parentElement, data } = component;
  let box = parentElement.querySelector(".esschart");
  if (!box) {
    box = document.createElement("div");
    box.className = "esschart";
    box.setAttribute("role", "figure");
    parentElement.appendChild(box);
  }
  box.setAttribute("aria-label", data.alt);
  const figure = JSON.parse(data.figure);
  window.essPlotly(data.base)
    .then((Plotly) => Plotly.react(box, figure.data, figure.layout,
                                   { responsive: true, ...data.config }))
    .then(() => { box.dataset.drawn = "1"; })
    .catch(() => { box.textContent = data.error; });
}
