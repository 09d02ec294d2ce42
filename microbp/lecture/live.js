// The live page's script: recompute the graph at the current leaf values, show every number, step, descend.
//
// microbp.lecture.live wraps this file in a function after the runtime, the update functions, `graph`
// (microbp.programs.javascript) and `nodes` (each node's row, operands and formula); what it returns
// is the page's global `microbp`, the API of the module's docstring.
const root = graph.names.length - 1;
const leafSlot = new Map(graph.leaves.map((node, slot) => [node, slot]));
const feeds = graph.names.map(() => new Set());   // node -> the nodes it is an operand of, each once (x*x)
nodes.forEach((facts, i) => facts.parents.forEach((p) => { if (typeof p === "number") feeds[p].add(i); }));
const computedNodes = graph.names.map((_, i) => i).filter((i) => !leafSlot.has(i));
const forwardSteps = computedNodes.map((i) => ({phase: "forward", node: i}));
const bothSteps = [...forwardSteps, ...graph.names.map((_, i) => ({phase: "backward", node: root - i}))];
let steps = bothSteps;                            // forward mode steps through the forward pass only
let values = graph.values.slice();
let result = graph.run(values);
let step = -1;                                    // -1: everything shown; else the index in `steps`
let chosen = graph.leaves[0];
let states = null;                                // the optimizer's state per leaf, while it runs
let losses = [];
const fixed = new Set(fixedLeaves);              // leaves descent leaves alone
let seed = null;                                  // forward mode: the node whose tangent is 1; null: backward
let tangents = null;                              // each node's tangent along the seed, at the current values
let edited = false;                               // whether the values differ from those drawn
document.querySelectorAll("#picture .cell").forEach((cell) => { cell.dataset.drawn = cell.textContent; });
const derivativeLabels = findDerivativeLabels();  // the picture's "dE/dx₁" and "grad", relabelled in forward mode

function shown(name) {                            // a leaf or node's name as the page writes it
  return graph.labels[graph.index[name]] ?? name;
}

function format(x) {                              // Python's format(x, ".4g")
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exponent = Number(x.toExponential(3).split("e")[1]);
  if (exponent >= -4 && exponent < 4) return String(Number(x.toPrecision(4)));
  const [mantissa, power] = x.toExponential(3).split("e");
  const digits = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  const sign = power[0] === "-" ? "-" : "+";
  return `${digits}e${sign}${power.replace(/^[-+]/, "").padStart(2, "0")}`;
}

function nodeOf(name, caller = "microbp.get") {
  if (typeof name !== "string" || !(name in graph.index)) {
    throw new Error(`${caller}: no node is called ${JSON.stringify(name)}; microbp.names() lists them`);
  }
  return graph.index[name];
}

const forwardAt = new Map(computedNodes.map((node, k) => [node, k]));   // node -> its forward step

function known(i, kind) {                         // whether step mode has reached node i's value or gradient
  if (step < 0) return true;
  if (seed !== null || kind === "data") return leafSlot.has(i) || forwardAt.get(i) <= step;   // a tangent comes with its value
  return forwardSteps.length + root - i <= step; // the backward steps run from the root down
}

function localDerivative(i, arg) {                // ∂node i/∂its operand arg, from the runtime's rows
  const facts = nodes[i], rule = facts.op === null ? undefined : runtime.grads[facts.op] ?? naryGrads[i];
  if (rule === undefined) return null;
  const operands = facts.parents.map((p) => (typeof p === "number" ? result.data[p] : p.constant));
  return rule(result.data[i], ...operands)[arg];
}

function cellText(cell) {
  const i = Number(cell.dataset.node), kind = cell.dataset.kind;
  if (kind === "local") {
    if (!known(i, "data")) return "?";
    const local = localDerivative(i, Number(cell.dataset.arg));
    if (local === null) return edited ? "?" : cell.dataset.drawn;   // an n-ary row: as drawn, until edited
    return format(local);
  }
  return known(i, kind) ? format(shownNumber(i, kind)) : "?";
}

function shownNumber(i, kind) {                   // a value; a gradient, or in forward mode a tangent
  if (kind === "data" || seed === null) return result[kind][i];
  return tangents[i] === null ? NaN : tangents[i];
}

function render() {
  tangents = seed === null ? null : tangentsAlong(seed);
  relabel();
  const current = step < 0 ? null : steps[step];
  const phaseKind = current !== null && current.phase === "forward" ? "data" : "grad";
  document.querySelectorAll("#picture .cell").forEach((cell) => {
    cell.textContent = cellText(cell);
    const i = Number(cell.dataset.node);
    cell.classList.toggle("active", current !== null && current.node === i && cell.dataset.kind === phaseKind);
    cell.classList.toggle("chosen", i === chosen && cell.dataset.kind === "data");
  });
  document.querySelectorAll("#picture .derived").forEach((text) => text.classList.toggle("stale", edited));
  renderTable(current);
  renderCaption(current);
  drawSeries(document.getElementById("losses"), losses);
  document.getElementById("loss").textContent = `loss ${shown(graph.names[root])} = ${format(result.data[root])}`;
}

function renderTable(current) {
  document.querySelector("#values th.rate").textContent = seed === null
    ? "gradient" : `tangent ṅ = dn/d${shown(graph.names[seed])}`;
  const body = document.querySelector("#values tbody");
  body.replaceChildren(...graph.names.map((name, i) => {
    const row = document.createElement("tr");
    if (current !== null && current.node === i) row.className = "active";
    const cells = [shown(name), known(i, "data") ? format(result.data[i]) : "?",
                   known(i, "grad") ? format(shownNumber(i, "grad")) : "?", nodes[i].formula || "leaf"];
    row.replaceChildren(...cells.map((text) => { const td = document.createElement("td"); td.textContent = text; return td; }));
    if (leafSlot.has(i)) row.addEventListener("click", () => choose(i));
    return row;
  }));
}

function caption(current) {                       // what the current step computes, in words and numbers
  const i = current.node, name = shown(graph.names[i]), top = shown(graph.names[root]);
  if (current.phase === "forward") {
    const value = `forward: ${name} = ${nodes[i].formula} = ${format(result.data[i])}`;
    return seed === null ? value : `${value}; d${name}/d${shown(graph.names[seed])} = ${format(shownNumber(i, "grad"))}`;
  }
  if (i === root) return `backward: ∂${top}/∂${top} = 1`;
  const edges = [...feeds[i]].flatMap((child) => nodes[child].parents.map((p, arg) => [p, child, arg]))
    .filter(([p]) => p === i);
  const terms = edges.map(([, child]) => `∂${shown(graph.names[child])}/∂${name} · ∂${top}/∂${shown(graph.names[child])}`);
  const numbers = edges.map(([, child, arg]) => {
    const local = localDerivative(child, arg);
    return `${local === null ? `∂${shown(graph.names[child])}/∂${name}` : format(local)} × ${format(result.grad[child])}`;
  });
  return `backward: ∂${top}/∂${name} = ${terms.join(" + ")} = ${numbers.join(" + ")} = ${format(result.grad[i])}`;
}

function renderCaption(current) {
  document.getElementById("counter").textContent = step < 0 ? `all ${steps.length} steps` : `${step + 1} / ${steps.length}`;
  document.getElementById("caption").textContent = current === null
    ? `every value and ${seed === null ? "gradient" : `tangent ṅ = dn/d${shown(graph.names[seed])} (forward mode)`}`
      + " at the current leaves; → to step through"
    : caption(current);
}

function recompute(newValues) {                   // run the graph; on a domain error keep the old values
  const newResult = graph.run(newValues);
  values = newValues; result = newResult; edited = true;
  render();
}

function set(name, value) {
  const i = nodeOf(name);
  if (!leafSlot.has(i)) throw new Error(`microbp.set: ${name} is computed, not a leaf; set a leaf: ${leafNames()}`);
  if (typeof value !== "number") throw new TypeError(`microbp.set: value must be a number, got ${typeof value}`);
  const newValues = values.slice();
  newValues[leafSlot.get(i)] = value;
  recompute(newValues);
  states = null; losses = [];
  if (i === chosen) syncEditor();
  return get(name);
}

function get(name) {
  const i = nodeOf(name);
  const facts = {data: result.data[i], grad: result.grad[i]};
  if (seed !== null) facts.tangent = tangents[i];   // render keeps them current
  return facts;
}

function leafNames() { return graph.leaves.map((i) => shown(graph.names[i])).join(", "); }

function descend(count = 1, learningRate = 0.1, optimizer = "sgd", hyperparameters = {}) {
  const chosenRule = optimizers[optimizer];
  if (chosenRule === undefined) {
    throw new Error(`microbp.descend: optimizer must be one of ${Object.keys(optimizers).join(", ")}; got ${optimizer}`);
  }
  if (!(learningRate > 0)) throw new Error(`microbp.descend: learningRate must be > 0, got ${learningRate}`);
  const key = JSON.stringify([optimizer, learningRate, hyperparameters]);
  if (states === null || states.key !== key) {
    states = {key, leaves: graph.leaves.map(() => freshState(chosenRule, {...hyperparameters, lr: learningRate}))};
    losses = [result.data[root]];
  }
  for (let k = 0; k < count; k += 1) {
    const newValues = graph.leaves.map((node, slot) => {
      const s = states.leaves[slot];
      if (fixed.has(node)) return values[slot];
      s.p = values[slot]; s.g = result.grad[node];
      return chosenRule.update(s).p;
    });
    recompute(newValues);
    losses.push(result.data[root]);
  }
  syncEditor();
  return losses.slice(-count);
}

function fix(name, isFixed = true) {
  const i = nodeOf(name);
  if (!leafSlot.has(i)) throw new Error(`microbp.fix: ${name} is computed, not a leaf; fix a leaf: ${leafNames()}`);
  if (isFixed) fixed.add(i); else fixed.delete(i);
  states = null;
}

function reset() {
  states = null; losses = []; step = -1;
  values = graph.values.slice(); result = graph.run(values); edited = false;
  render(); showEditor();
}

function choose(i) { chosen = i; render(); showEditor(); }

function showEditor() {
  const editor = document.getElementById("editor"), value = values[leafSlot.get(chosen)];
  const name = shown(graph.names[chosen]), reach = Math.max(1, Math.abs(value)) * 2;
  const title = document.createElement("h2");
  title.textContent = `leaf ${name}`;
  const number = Object.assign(document.createElement("input"), {type: "number", step: "any", value: String(value)});
  const slider = Object.assign(document.createElement("input"), {type: "range", min: String(value - reach),
    max: String(value + reach), step: String(reach / 200), value: String(value)});
  number.setAttribute("aria-label", `value of ${name}`); slider.setAttribute("aria-label", `slide ${name}`);
  const message = document.createElement("p");
  const apply = (text) => {
    try { set(graph.names[chosen], Number(text)); message.textContent = ""; }
    catch (error) { message.textContent = error.message; }
  };
  number.addEventListener("change", () => apply(number.value));
  slider.addEventListener("input", () => apply(slider.value));
  const pin = Object.assign(document.createElement("input"), {type: "checkbox", checked: fixed.has(chosen)});
  pin.addEventListener("change", () => fix(graph.names[chosen], pin.checked));
  const pinLabel = document.createElement("label");
  pinLabel.append(pin, " fixed: descent leaves it alone");
  editor.replaceChildren(title, number, slider, pinLabel, message);
}

function syncEditor() {                           // the chosen leaf's boxes follow its value, unless in use
  const value = String(values[leafSlot.get(chosen)]);
  document.querySelectorAll("#editor input").forEach((input) => {
    if (input !== document.activeElement) input.value = value;
  });
}

function stepBy(delta) {
  step = Math.max(-1, Math.min(steps.length - 1, step + delta));
  render();
}

function layOut() {                               // a wide picture on top (body.wide), else picture and controls side by side
  const svg = document.querySelector("#picture svg"), box = svg && svg.viewBox.baseVal;
  const wide = box && box.width / box.height > 1.6 * innerWidth / innerHeight;
  document.body.classList.toggle("wide", Boolean(wide));
}

function toggleFullscreen() {                     // the picture alone on the screen, as the slideshow's f; Esc leaves
  if (document.fullscreenElement) document.exitFullscreen();
  else if (document.getElementById("picture").requestFullscreen) document.getElementById("picture").requestFullscreen();
}

function wire() {
  layOut();
  addEventListener("resize", layOut);
  document.querySelectorAll("#picture .cell").forEach((cell) => {
    const i = Number(cell.dataset.node);
    if (leafSlot.has(i)) {
      const target = cell.closest("g") || cell;
      target.classList.add("leaf");
      target.addEventListener("click", () => choose(i));
    }
  });
  document.getElementById("previous").addEventListener("click", () => stepBy(-1));
  document.getElementById("next").addEventListener("click", () => stepBy(1));
  document.getElementById("all").addEventListener("click", () => { step = -1; render(); });
  document.getElementById("reset").addEventListener("click", reset);
  wireMode();
  document.getElementById("fullscreen").addEventListener("click", toggleFullscreen);
  const rate = () => Number(document.getElementById("rate").value);
  const optimizer = () => document.getElementById("optimizer").value;
  const run = (count) => { try { descend(count, rate(), optimizer()); } catch (error) {
    document.getElementById("loss").textContent = error.message; } };
  document.getElementById("descend").addEventListener("click", () => run(1));
  document.getElementById("descend10").addEventListener("click", () => run(10));
  document.addEventListener("keydown", (event) => {
    if (event.target.tagName === "INPUT" || event.target.tagName === "SELECT") return;
    if (event.key === "ArrowRight" || event.key === " ") { stepBy(1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { stepBy(-1); event.preventDefault(); }
    if (event.key === "f" || event.key === "F") toggleFullscreen();
  });
}

wire();
const opening = /step=(\d+)/.exec(location.hash);   // #step=12 opens at step 12
const seeded = /seed=([^&]+)/.exec(location.hash);  // #seed=w35 opens in forward mode as w35 moves
if (seeded && leafSlot.has(graph.index[decodeURIComponent(seeded[1])])) {
  seed = graph.index[decodeURIComponent(seeded[1])]; steps = forwardSteps;
  document.getElementById("mode").value = String(seed);
}
if (opening) step = Math.min(Number(opening[1]), steps.length) - 1;
render();
showEditor();
return Object.freeze({
  names: () => graph.names.map(shown),
  leaves: () => graph.leaves.map((i) => shown(graph.names[i])),
  get, set, descend, reset, fix, tangent, forwardMode,
  seed: () => (seed === null ? null : shown(graph.names[seed])),
  fixed: () => [...fixed].map((i) => shown(graph.names[i])),
  loss: () => result.data[root],
  runtime,
});
