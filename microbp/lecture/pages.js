// What the live page and the playground share: an optimizer's fresh state, a series drawn as a line.
//
// microbp.lecture.live.script_start puts this file after `optimizers` in both pages' scripts.

function freshState(rule, settings) {             // one parameter's state: the rule's defaults, settings over them, zeros
  const state = Object.assign({}, rule.defaults, settings);
  rule.state.forEach((name) => { state[name] = 0; });
  if (rule.counter) state[rule.counter] = 0;
  return state;
}

function drawSeries(svg, series) {                // series as a polyline across a 400 × 150 plot; its finite range fills it
  if (series.length < 2) { svg.replaceChildren(); return; }
  const finite = series.filter(Number.isFinite);
  const low = Math.min(...finite), high = Math.max(...finite), span = high - low || 1;
  const line = document.createElementNS(svg.namespaceURI, "polyline");
  line.setAttribute("points", series.map((v, k) => `${(10 + 380 * k / (series.length - 1)).toFixed(1)},` +
                                              `${(140 - 130 * (v - low) / span).toFixed(1)}`).join(" "));
  svg.replaceChildren(line);
}
