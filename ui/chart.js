// A Plotly figure drawn with Plotly's basic bundle, served by the dashboard itself
// (static/vendor/, fetched by `make vendor`): a quarter of the bundle st.plotly_chart loads.
// The library and its French locale are loaded once per browser tab, then every chart of every
// page reuses them; Plotly.react redraws a chart in place when a rerun sends a new figure.

let loading = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = src;
    tag.onload = resolve;
    tag.onerror = () => reject(new Error(src));
    document.head.appendChild(tag);
  });
}

function plotly(base) {
  if (!loading) {
    loading = script(base + "plotly-basic.min.js")
      .then(() => script(base + "plotly-locale-fr.js"))
      .then(() => window.Plotly);
    loading.catch(() => { loading = null; });  // a later chart tries again
  }
  return loading;
}

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
  plotly(data.base)
    .then((Plotly) => Plotly.react(box, figure.data, figure.layout,
                                   { responsive: true, ...data.config }))
    .then(() => { box.dataset.drawn = "1"; })
    .catch(() => { box.textContent = data.error; });
}
