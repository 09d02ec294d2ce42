// The live page's forward mode: each node's tangent as one leaf moves, and the picture relabelled for it.
//
// microbp.lecture.live puts this file before live.js, in the same function (its functions are
// hoisted); they read live.js's `nodes`, `computedNodes`, `localDerivative`, `seed` and `render`. The rule is microbp.core.forward.tangents's.

function tangentsAlong(seedNode) {                // ṅ = Σ ∂n/∂p · ṗ in topological order, as core/forward.tangents
  const found = graph.names.map((_, i) => (i === seedNode ? 1 : 0));
  for (const i of computedNodes) {
    if (i === seedNode) continue;
    let total = 0;
    nodes[i].parents.forEach((p, arg) => {
      if (typeof p !== "number" || total === null) return;
      const tangent = found[p];
      if (tangent === 0) return;                  // zero times anything is zero: nothing flows
      const local = tangent === null ? null : localDerivative(i, arg);
      if (local === null) { total = null; return; }   // an n-ary row: the runtime has no local derivative
      if (local !== 0) total += local * tangent;
    });
    found[i] = total;
  }
  return found;
}

function findDerivativeLabels() {                // texts "dA/dB" (network view), and "grad " before a cell (graph view)
  const labels = [];
  document.querySelectorAll("#picture text").forEach((text) => {
    const match = /^d(.+)\/d(.+)$/.exec(text.textContent);
    if (match && !text.querySelector(".cell")) labels.push({element: text, drawn: text.textContent, wrt: match[2]});
  });
  document.querySelectorAll('#picture .cell[data-kind="grad"]').forEach((cell) => {
    const before = cell.previousSibling;
    if (before && before.nodeType === Node.TEXT_NODE && /^grad\s*$/.test(before.textContent)) {
      labels.push({element: before, drawn: before.textContent, wrt: null});
    }
  });
  return labels;
}

function relabel() {                              // in forward mode dE/dx₁ becomes ẋ₁, the tangent; grad becomes ṅ
  derivativeLabels.forEach((label) => {
    if (seed === null) label.element.textContent = label.drawn;
    else if (label.wrt === null) label.element.textContent = label.drawn.replace("grad", "ṅ");
    else label.element.textContent = label.wrt.replace(/^(.)/u, "$1\u0307");
  });
}

function tangent(name, seedName) {                // d name / d seedName: one forward pass seeded at seedName
  const i = nodeOf(name, "microbp.tangent"), from = nodeOf(seedName, "microbp.tangent");
  return tangentsAlong(from)[i];
}

function forwardMode(seedName = null) {           // tangents as seedName moves, in picture and table; null: gradients
  seed = seedName === null ? null : nodeOf(seedName, "microbp.forwardMode");
  steps = seed === null ? bothSteps : forwardSteps;
  step = Math.min(step, steps.length - 1);
  document.getElementById("mode").value = seed === null ? "" : String(seed);
  render();
  return seed === null ? null : shown(graph.names[seed]);
}

function wireMode() {                             // the select: backward, or forward as one leaf moves
  const select = document.getElementById("mode");
  const backward = Object.assign(document.createElement("option"), {value: "", textContent: "backward (gradients)"});
  select.replaceChildren(backward, ...graph.leaves.map((i) => Object.assign(document.createElement("option"),
    {value: String(i), textContent: `forward (tangents) as ${shown(graph.names[i])} moves`})));
  select.addEventListener("change", () => forwardMode(select.value === "" ? null : graph.names[Number(select.value)]));
}
