// The presentation page's own controls (ui/present.py): a full-screen button (Fullscreen API),
// the slide keys, and the height left for the slide's chart. No library, no request.
//
// Keys: Right / Page Down go to the next slide, Left / Page Up to the previous one (what
// presentation clickers send), Home / End to the first / last. They are sent to Python as the
// trigger "move"; Python changes the slide and writes it in the URL. A key is left alone while
// the user types (a text field, a list, a radio button has the focus), when a modifier is held
// (Alt+Left is the browser's Back), when held down, and when something else already used it
// (the map pans with the arrows once it has the focus).
//
// Height: the slide's chart is drawn by Python at a height in pixels; this measures the room
// between the top of the chart's box and the bottom of the window and sends it (state "room")
// when it differs from what the page used, e.g. on entering full screen.

const MOVES = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev",
                Home: "first", End: "last" };
// (a checkbox, e.g. the « Notes » toggle, is not typed in: the keys still change the slide)
const TYPING = "input:not([type=checkbox]), textarea, select, [contenteditable=''], "
  + "[contenteditable='true'], [role=combobox], [role=listbox], [role=option], [role=textbox], "
  + "[role=slider], [role=spinbutton], [role=radiogroup], [role=menu]";
const BOTTOM = 12;  // px left free under the chart

let mounted = null;  // the page's one instance: {trigger, setState, data}
let timer = 0;

function typing(target) {
  return target instanceof Element && target.closest(TYPING) !== null;
}

function onKey(e) {
  const move = MOVES[e.key];
  if (!mounted || !move || e.defaultPrevented || e.repeat) return;
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.isComposing) return;
  if (typing(e.target) || typing(document.activeElement)) return;
  e.preventDefault();
  mounted.trigger("move", move);
}

function measure() {
  timer = 0;
  if (!mounted || document.hidden) return;
  const box = document.querySelector(mounted.data.box);
  if (!box) return;  // a slide without a chart (the key figures)
  const room = Math.floor(window.innerHeight - box.getBoundingClientRect().top - BOTTOM);
  const used = mounted.data.room ?? mounted.data.height;  // what Python was told, or used
  // smaller: the chart would not fit; larger: the chart can grow (full screen)
  if (room < used - 1 || room > used + 8) mounted.setState("room", room);
}

function later() {
  if (timer) clearTimeout(timer);
  timer = setTimeout(measure, 150);
}

function toggle() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else document.documentElement.requestFullscreen().catch(() => {});
}

function label(button) {
  const labels = mounted ? mounted.data.labels : {};
  const on = Boolean(document.fullscreenElement);
  button.querySelector(".esspres-text").textContent = on ? labels.exit : labels.enter;
  button.title = on ? labels.exit_hint : labels.enter_hint;
  // its name even where ui/present.css hides the text (a narrow window: the icon only)
  button.setAttribute("aria-label", on ? labels.exit : labels.enter);
  button.setAttribute("aria-pressed", String(on));
}

const watch = new ResizeObserver(later);

function onFullscreen() {
  const button = document.querySelector(".esspres-full");
  if (button) label(button);
  later();
}

function build(parent) {
  const root = document.createElement("div");
  root.className = "esspres";
  root.innerHTML = `<button type="button" class="esspres-full" aria-pressed="false">
    <svg class="esspres-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/></svg><span class="esspres-text"></span>
  </button>`;
  root.querySelector("button").addEventListener("click", toggle);
  parent.appendChild(root);
  return root;
}

function listen() {  // on every call: adding the same listener twice adds it once
  window.addEventListener("keydown", onKey);
  window.addEventListener("resize", later);
  document.addEventListener("fullscreenchange", onFullscreen);
  const main = document.querySelector("[data-testid=stMainBlockContainer]");
  if (main) watch.observe(main);
}

function leave() {
  // Streamlit also calls the cleanup of a call it superseded (new data came first): only the
  // page's leaving, when no controls are left in the document, stops listening
  if (document.querySelector(".esspres")) return;
  mounted = null;
  window.removeEventListener("keydown", onKey);
  window.removeEventListener("resize", later);
  document.removeEventListener("fullscreenchange", onFullscreen);
  watch.disconnect();
  // leaving the page leaves full screen too: the other pages are not made for it
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
}

export default function (component) {
  const { parentElement, data, setTriggerValue, setStateValue } = component;
  const root = parentElement.querySelector(".esspres") || build(parentElement);
  mounted = { trigger: setTriggerValue, setState: setStateValue, data };
  listen();
  const button = root.querySelector(".esspres-full");
  button.disabled = !document.fullscreenEnabled;
  label(button);
  later();
  return () => setTimeout(leave, 0);
}
