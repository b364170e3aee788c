// The dashboard's map: a choropleth drawn on a canvas from ess_data/mapview.payload.
// No library and no request: shapes, colours, hover text and legend all come in `data`.
// Drag to pan, wheel or buttons to zoom, double-click to zoom in, the reset button to refit;
// on the keyboard (the canvas takes the focus): + and - zoom, the arrows pan, 0 refits.
// When `data.clickable`, a click on a territory sends its code to Python ("clicked").

const PAD = 12;

function decode(text) {
  // code -> {path: Path2D in grid units, box: [x0, y0, x1, y1]}, from the JSON text of
  // {code: [ring, ...]} with each ring a first point then differences, in grid units
  const out = new Map();
  for (const [code, rings] of Object.entries(JSON.parse(text))) {
    const path = new Path2D();
    let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
    for (const ring of rings) {
      let x = 0, y = 0;
      for (let i = 0; i < ring.length; i += 2) {
        x += ring[i]; y += ring[i + 1];
        if (i === 0) path.moveTo(x, y); else path.lineTo(x, y);
        if (x < bx0) bx0 = x; if (x > bx1) bx1 = x;
        if (y < by0) by0 = y; if (y > by1) by1 = y;
      }
      path.closePath();
    }
    out.set(code, { path, box: [bx0, by0, bx1, by1] });
  }
  return out;
}

function lines(el, html) {
  // Writes "<b>a</b><br>b" as text: only <br> and <b> are understood, nothing is parsed as HTML.
  el.replaceChildren();
  html.split(/<br\s*\/?>/i).forEach((line, i) => {
    if (i) el.appendChild(document.createElement("br"));
    line.split(/(<b>.*?<\/b>)/i).forEach((part) => {
      const bold = /^<b>(.*)<\/b>$/i.exec(part);
      if (bold) {
        const b = document.createElement("b");
        b.textContent = bold[1];
        el.appendChild(b);
      } else if (part) {
        el.appendChild(document.createTextNode(part));
      }
    });
  });
}

function fill(template, row) {
  return template.replace(/%\{customdata\[(\d+)\]\}/g, (_, i) =>
    (row[+i] ?? "").replace(/</g, "‹"));
}

function build(parent) {
  const root = document.createElement("div");
  root.className = "essmap";
  root.innerHTML = `
    <div class="essmap-title"></div>
    <div class="essmap-body">
      <div class="essmap-frame">
        <canvas class="essmap-canvas" role="img" tabindex="0"></canvas>
        <div class="essmap-tools">
          <button type="button" data-zoom="in">+</button>
          <button type="button" data-zoom="out">−</button>
          <button type="button" data-zoom="reset">⟲</button>
        </div>
        <div class="essmap-tip" hidden></div>
      </div>
      <div class="essmap-legend"></div>
    </div>
    <div class="essmap-note"></div>`;
  parent.appendChild(root);
  const canvas = root.querySelector("canvas");
  const state = { view: null, drag: null };
  root.essState = state;

  const redraw = () => draw(root);
  const zoomAt = (factor, px, py) => {
    const v = state.view;
    v.x = px - (px - v.x) * factor;
    v.y = py - (py - v.y) * factor;
    v.k *= factor;
    redraw();
  };
  root.querySelectorAll("[data-zoom]").forEach((b) => {
    b.addEventListener("click", () => {
      const w = canvas.clientWidth / 2, h = canvas.clientHeight / 2;
      if (b.dataset.zoom === "reset") { state.view = null; redraw(); }
      else zoomAt(b.dataset.zoom === "in" ? 1.5 : 1 / 1.5, w, h);
    });
  });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.offsetX, e.offsetY);
  }, { passive: false });
  canvas.addEventListener("dblclick", (e) => zoomAt(2, e.offsetX, e.offsetY));
  canvas.addEventListener("keydown", (e) => {  // + - 0 and the arrows, for the keyboard
    const w = canvas.clientWidth / 2, h = canvas.clientHeight / 2;
    const step = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] }[e.key];
    if (e.key === "+" || e.key === "=") zoomAt(1.5, w, h);
    else if (e.key === "-") zoomAt(1 / 1.5, w, h);
    else if (e.key === "0") { state.view = null; redraw(); }
    else if (step) { state.view.x += step[0]; state.view.y += step[1]; redraw(); }
    else return;
    e.preventDefault();
  });
  canvas.addEventListener("pointerdown", (e) => {
    state.drag = { x: e.clientX, y: e.clientY, vx: state.view.x, vy: state.view.y };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointerup", (e) => {
    const drag = state.drag;
    state.drag = null;
    if (!drag || !state.data.clickable || Math.hypot(e.clientX - drag.x, e.clientY - drag.y) > 4) return;
    const found = under(root, e.offsetX, e.offsetY, false);  // a click, not a drag: which place
    if (found && found.layer.kind === "fill") state.trigger("clicked", found.layer.codes[found.i]);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (state.drag) {
      state.view.x = state.drag.vx + e.clientX - state.drag.x;
      state.view.y = state.drag.vy + e.clientY - state.drag.y;
      redraw();
      return;
    }
    hover(root, e.offsetX, e.offsetY);
  });
  canvas.addEventListener("pointerleave", () => { root.querySelector(".essmap-tip").hidden = true; });
  new ResizeObserver(() => { if (state.data) { state.view = null; redraw(); } }).observe(root);
  return root;
}

function fit(state, width, height) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const { box } of state.shapes.values()) {
    x0 = Math.min(x0, box[0]); y0 = Math.min(y0, box[1]);
    x1 = Math.max(x1, box[2]); y1 = Math.max(y1, box[3]);
  }
  if (!isFinite(x0)) return { k: 1, x: 0, y: 0 };
  const frame = () => {
    const k = Math.min((width - 2 * PAD) / Math.max(x1 - x0, 1), (height - 2 * PAD) / Math.max(y1 - y0, 1));
    return { k, x: (width - (x1 - x0) * k) / 2 - x0 * k, y: (height - (y1 - y0) * k) / 2 - y0 * k };
  };
  let view = frame();
  // a name is centred on its point: widen the frame until one near an edge (an overseas
  // inset's) fits too (ess_data.figures does the same for exports); two passes, as widening
  // the frame shrinks the map
  const ctx = document.createElement("canvas").getContext("2d");
  for (let pass = 0; pass < 2; pass++) {
    for (const layer of state.data.layers) {
      if (layer.kind !== "text") continue;
      ctx.font = `${layer.size}px "DejaVu Sans", Arial, sans-serif`;
      layer.xy.forEach((p, i) => {
        const half = (Math.max(...layer.text[i].map((line) => ctx.measureText(line).width)) / 2 + 4) / view.k;
        x0 = Math.min(x0, p[0] - half); x1 = Math.max(x1, p[0] + half);
      });
    }
    view = frame();
  }
  return view;
}

function draw(root) {
  const state = root.essState, data = state.data;
  const canvas = root.querySelector("canvas");
  const width = Math.max(canvas.parentElement.clientWidth, 200), height = data.height;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.height = height + "px";
  }
  if (!state.view) state.view = fit(state, width, height);
  const v = state.view;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const grid = () => ctx.setTransform(ratio * v.k, 0, 0, ratio * v.k, ratio * v.x, ratio * v.y);
  const screen = (p) => [v.x + p[0] * v.k, v.y + p[1] * v.k];
  let drawn = 0;
  for (const layer of data.layers) {
    if (layer.kind === "fill" || layer.kind === "outline") {
      grid();
      ctx.lineJoin = "round";
      ctx.lineWidth = layer.line[1] / v.k;
      ctx.strokeStyle = layer.line[0];
      layer.codes.forEach((code, i) => {
        const shape = state.shapes.get(code);
        if (!shape) return;
        if (layer.kind === "fill") {
          ctx.fillStyle = layer.fill[i];
          ctx.fill(shape.path, "evenodd");
          drawn += 1;
        }
        ctx.stroke(shape.path);
      });
    } else if (layer.kind === "circles") {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = layer.color;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.lineWidth = 0.8;
      layer.xy.forEach((p, i) => {
        const [x, y] = screen(p);
        ctx.beginPath();
        ctx.arc(x, y, layer.size[i] / 2, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      });
    } else if (layer.kind === "text") {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.font = `${layer.size}px "DejaVu Sans", Arial, sans-serif`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      // a halo keeps a name readable where it runs over a lighter or darker neighbour
      const white = layer.color.toUpperCase() === "#FFFFFF";
      ctx.lineWidth = white ? 2.5 : 3;
      ctx.strokeStyle = white ? "rgba(22,22,22,0.55)" : "rgba(255,255,255,0.7)";
      ctx.fillStyle = layer.color;
      layer.xy.forEach((p, i) => {
        const [x, y] = screen(p);
        const text = layer.text[i], lead = layer.size * 1.15;
        text.forEach((line, j) => {
          const ly = y + (j - (text.length - 1) / 2) * lead;
          ctx.strokeText(line, x, ly);
          ctx.fillText(line, x, ly);
        });
      });
    }
  }
  root.dataset.drawn = String(drawn);
}

function under(root, px, py, circles) {
  // The layer and index of what is under the pointer, topmost first: a circle (when
  // `circles`) or a territory; null over the background.
  const state = root.essState, data = state.data, v = state.view;
  const gx = (px - v.x) / v.k, gy = (py - v.y) / v.k;
  const ctx = root.querySelector("canvas").getContext("2d");
  const ratio = window.devicePixelRatio || 1;
  for (let l = data.layers.length - 1; l >= 0; l -= 1) {
    const layer = data.layers[l];
    if (layer.kind === "circles" && circles && layer.hover) {
      for (let i = layer.xy.length - 1; i >= 0; i -= 1) {
        const x = v.x + layer.xy[i][0] * v.k, y = v.y + layer.xy[i][1] * v.k;
        if (Math.hypot(px - x, py - y) <= layer.size[i] / 2) return { layer, i };
      }
    } else if (layer.kind === "fill") {
      ctx.setTransform(ratio * v.k, 0, 0, ratio * v.k, ratio * v.x, ratio * v.y);
      for (let i = 0; i < layer.codes.length; i += 1) {
        const shape = state.shapes.get(layer.codes[i]);
        const b = shape && shape.box;
        if (!b || gx < b[0] || gx > b[2] || gy < b[1] || gy > b[3]) continue;
        if (ctx.isPointInPath(shape.path, px * ratio, py * ratio, "evenodd")) return { layer, i };
      }
    }
  }
  return null;
}

function hover(root, px, py) {
  const data = root.essState.data, tip = root.querySelector(".essmap-tip");
  const found = under(root, px, py, true);
  const canvas = root.querySelector("canvas");
  canvas.classList.toggle("essmap-pointing", Boolean(data.clickable && found && found.layer.kind === "fill"));
  if (!found || !found.layer.hover) { tip.hidden = true; return; }
  const { layer, i } = found;
  lines(tip, fill(layer.hover.template, layer.hover.rows[i]));
  if (data.clickable && layer.kind === "fill" && data.labels.click) {
    const hint = document.createElement("div");
    hint.className = "essmap-hint";
    hint.textContent = data.labels.click;
    tip.appendChild(hint);
  }
  tip.hidden = false;
  const frame = tip.parentElement;
  const left = Math.min(px + 14, frame.clientWidth - tip.offsetWidth - 4);
  tip.style.left = Math.max(left, 4) + "px";
  tip.style.top = Math.max(py - tip.offsetHeight - 10, 4) + "px";
}

function legend(el, data) {
  const lg = data.legend;
  el.replaceChildren();
  const add = (colour, text, cls) => {
    const row = document.createElement("div");
    row.className = "essmap-key" + (cls ? " " + cls : "");
    const sw = document.createElement("span");
    sw.className = "essmap-swatch";
    sw.style.background = colour;
    const label = document.createElement("span");
    label.textContent = text;
    row.append(sw, label);
    el.appendChild(row);
  };
  if (lg.classes) {
    [...lg.classes].reverse().forEach(([colour, text]) => add(colour, text));
  } else if (lg.ramp) {
    const ramp = document.createElement("div");
    ramp.className = "essmap-ramp";
    const bar = document.createElement("span");
    bar.className = "essmap-ramp-bar";
    bar.style.background = `linear-gradient(to top, ${lg.ramp.map(([p, c]) => `${c} ${p * 100}%`).join(", ")})`;
    const ticks = document.createElement("span");
    ticks.className = "essmap-ramp-ticks";
    lg.ticks.forEach(([p, text]) => {
      const t = document.createElement("span");
      t.style.bottom = `calc(${p * 100}% - 0.6em)`;
      t.textContent = text;
      ticks.appendChild(t);
    });
    ramp.append(bar, ticks);
    el.appendChild(ramp);
  }
  if (lg.no_data) add(lg.no_data[0], lg.no_data[1], "essmap-nodata");
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  const root = parentElement.querySelector(".essmap") || build(parentElement);
  const state = root.essState;
  state.trigger = setTriggerValue;
  const same = state.data && state.data.shapes === data.shapes;  // the same places: keep the zoom
  const t0 = performance.now();
  state.data = data;
  state.shapes = decode(data.shapes);
  const t1 = performance.now();
  if (!same) state.view = null;
  const canvas = root.querySelector("canvas");
  canvas.setAttribute("aria-label", data.alt);
  root.querySelectorAll("[data-zoom]").forEach((b) => {
    b.title = data.labels[b.dataset.zoom] || "";
    b.setAttribute("aria-label", b.title);
  });
  draw(root);
  root.dataset.ms = `${Math.round(t1 - t0)} ${Math.round(performance.now() - t1)}`;  // decode, draw
  legend(root.querySelector(".essmap-legend"), data);
  lines(root.querySelector(".essmap-title"), data.title);
  lines(root.querySelector(".essmap-note"), data.note);
}
