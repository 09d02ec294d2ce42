// The playground's script: train on the points with one example's compiled margin, draw the boundary.
//
// microbp.lecture.playground wraps this file in a function after the runtime, the update functions,
// `margin` and `scorer` (microbp.programs.javascript) and `facts` (points, leaf slots, settings);
// what it returns is the page's global `playground`.
const settings = Object.assign({}, facts.settings);
const leafCount = margin.leaves.length;
let weights, states, schedule, losses, accuracies, cursor, running = false;

function reset() {
  weights = facts.parameterSlots.map((slot) => margin.values[slot]);
  states = null; losses = []; accuracies = []; cursor = 0;
  draw();
}

function batchRows() {                            // the whole data, or the next `batch` points in turn
  const n = facts.points.length, size = settings.batch > 0 ? Math.min(settings.batch, n) : n;
  const rows = [];
  for (let k = 0; k < size; k += 1) rows.push(facts.points[(cursor + k) % n]);
  cursor = (cursor + size) % n;
  return rows;
}

function lossAndGradients(rows) {                 // mean margin over rows + l2 · Σ p², and its gradient
  const inputs = new Array(leafCount);
  facts.parameterSlots.forEach((slot, i) => { inputs[slot] = weights[i]; });
  const grads = weights.map(() => 0);
  let total = 0, right = 0;
  for (const row of rows) {
    facts.inputSlots.forEach((slot, k) => { inputs[slot] = row[k]; });
    const {data, grad} = margin.run(inputs);
    const m = data[data.length - 1];
    total += m;
    if (m < 1) right += 1;                        // relu(1 − y·s) < 1 exactly when y·s > 0
    facts.parameterSlots.forEach((slot, i) => { grads[i] += grad[margin.leaves[slot]]; });
  }
  let squares = 0;
  weights.forEach((p) => { squares += p * p; });
  const loss = total / rows.length + settings.l2 * squares;
  return {loss, accuracy: right / rows.length,
          grads: grads.map((g, i) => g / rows.length + 2 * settings.l2 * weights[i])};
}

function freshStates() {
  const rule = optimizers[settings.optimizer];
  if (rule === undefined) throw new Error(`playground: optimizer must be one of ${Object.keys(optimizers).join(", ")}`);
  schedule = {base_lr: settings.lr, start_factor: 1, end_factor: settings.endFactor,
              total_iters: settings.totalIters, epoch: 0, lr: settings.lr};
  return weights.map(() => freshState(rule, {lr: settings.lr}));
}

function step() {
  if (states === null) states = freshStates();
  const rule = optimizers[settings.optimizer];
  const {loss, accuracy, grads} = lossAndGradients(batchRows());
  weights = weights.map((p, i) => {
    const s = states[i];
    s.p = p; s.g = grads[i]; s.lr = schedule.lr;
    return rule.update(s).p;
  });
  updateLinearLr(schedule);
  losses.push(loss); accuracies.push(accuracy);
  return {loss, accuracy};
}

function score(x1, x2) {                          // the model's score at a point, from the scorer's graph
  const point = [x1, x2];
  const inputs = facts.scorerLeaves.map(([kind, k]) => (kind === "input" ? point[k] : weights[k]));
  return scorer.run(inputs).data[scorer.names.length - 1];
}

function draw() {
  const canvas = document.getElementById("board"), context = canvas.getContext("2d");
  const xs = facts.points.map((p) => p[0]), ys = facts.points.map((p) => p[1]);
  const left = Math.min(...xs) - 0.5, right = Math.max(...xs) + 0.5;
  const bottom = Math.min(...ys) - 0.5, top = Math.max(...ys) + 0.5;
  const cells = 40, w = canvas.width / cells, h = canvas.height / cells;
  for (let i = 0; i < cells; i += 1) {
    for (let j = 0; j < cells; j += 1) {
      const s = score(left + (i + 0.5) * (right - left) / cells, top - (j + 0.5) * (top - bottom) / cells);
      context.fillStyle = s > 0 ? "#f7c9a9" : "#b9d3ee";
      context.fillRect(i * w, j * h, w + 1, h + 1);
    }
  }
  for (const [x1, x2, label] of facts.points) {
    context.beginPath();
    context.arc((x1 - left) / (right - left) * canvas.width, (top - x2) / (top - bottom) * canvas.height, 6, 0, 7);
    context.fillStyle = label > 0 ? "#d9480f" : "#1c7ed6";
    context.fill();
  }
  drawSeries(document.getElementById("losses"), losses);
  drawSeries(document.getElementById("accuracies"), accuracies);
  const last = losses.length;
  document.getElementById("status").textContent = last === 0 ? "" :
    `step ${last}: loss ${losses[last - 1].toFixed(4)}, accuracy ${(100 * accuracies[last - 1]).toFixed(0)}%`;
}

function train(count) {
  let last = null;
  for (let k = 0; k < count; k += 1) last = step();
  draw();
  return last;
}

function wire() {
  for (const name of ["lr", "endFactor", "l2", "batch", "optimizer"]) {
    const input = document.getElementById(name);
    input.value = String(settings[name]);
    input.addEventListener("change", () => {
      settings[name] = name === "optimizer" ? input.value : Number(input.value);
      states = null;
    });
  }
  document.getElementById("once").addEventListener("click", () => train(1));
  document.getElementById("reset").addEventListener("click", () => { running = false; reset(); });
  const button = document.getElementById("run");
  button.addEventListener("click", () => {
    running = !running;
    button.textContent = running ? "pause" : "train";
    const frame = () => { if (!running) return; train(5); requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  });
}

reset();
wire();
const asked = /train=(\d+)/.exec(location.hash);     // #train=100: train that many steps on opening
if (asked) train(Math.min(Number(asked[1]), 10000));
return {step, train, reset, settings, weights: () => weights.slice(),
        loss: () => losses[losses.length - 1], accuracy: () => accuracies[accuracies.length - 1]};
