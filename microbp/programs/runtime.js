// microbp's JavaScript runtime: the table's rows on IEEE doubles, as the Python engine computes them.
//
// This file is the part written by hand: Python's float semantics where JavaScript's differ,
// Python's repr of a float (for the domain errors' messages), each row's forward where it is a
// function (a call form: tanh(x)), and each domain check's message. microbp.programs.js_runtime
// adds the part generated from the table (the forwards written from the rows' notation, the
// local derivatives written from the rows' formulas, the checks) where the marker below stands.
// A test walks every row of the table through this runtime and names any row it cannot express.
"use strict";

class DomainError extends Error {
  constructor(message) {
    super(message);
    this.name = "DomainError";
  }
}

// --- Python's float arithmetic, where JavaScript's differs -------------------------------------

let raised = false;  // set where Python's float arithmetic raises (x / 0, 0 ** -1, overflow in **)

function truediv(a, b) {  // a / b; Python raises ZeroDivisionError at b = 0
  if (b === 0) raised = true;
  return a / b;
}

function pow(a, b) {  // Python's a ** b on floats, with IEEE results (±inf, nan) where it raises
  if (b !== b) return a === 1 ? 1 : NaN;                 // 1 ** nan is 1 in Python
  if (Math.abs(a) === 1 && !Number.isFinite(b)) return 1;  // (-1) ** inf is 1 in Python
  const result = Math.pow(a, b);
  const overflow = !Number.isFinite(result) && result === result && Number.isFinite(a) && Number.isFinite(b);
  if ((a === 0 && b < 0) || overflow) raised = true;
  return result;
}

function mul(a, b) {  // the product after Python raised (microbp.core.ops.IEEEFloat): zero times anything is zero
  return a === 0 || b === 0 ? 0 : a * b;
}

function chain(local, upstream) {  // local derivative times upstream gradient; an exact 0 passes nothing on
  return local === 0 ? 0 : local * upstream;
}

function leafValues(inputs, count) {  // a graph's run(inputs), checked: an array (or typed array) of count numbers
  const values = inputs === null || inputs === undefined ? [] : Array.from(inputs);
  if (values.length !== count || !values.every((v) => typeof v === "number")) {
    throw new TypeError(`run(inputs) needs an array of ${count} numbers`);
  }
  return values;
}

function twoPass(floats, ieee) {  // a derivative formula as the engine reads it: floats, or IEEE after a raise
  return (...args) => {
    raised = false;
    const grads = floats(...args);
    return raised ? ieee(...args) : grads;
  };
}

function addAll(terms) {  // Python's sum of floats: in order (3.11), or compensated (3.12 and later)
  let total = 0;
  let compensation = 0;
  for (const x of terms) {
    const t = total + x;
    if (!SUM_ADDS_IN_ORDER) {
      compensation += Math.abs(total) >= Math.abs(x) ? (total - t) + x : (x - t) + total;
    }
    total = t;
  }
  return compensation && Number.isFinite(compensation) ? total + compensation : total;
}

function repr(x) {  // Python's repr of a float: 0.0, -0.0, 1e-05, 1e+16, inf, nan
  if (x !== x) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, power] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(power);
  let text;
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? "." + digits.slice(1) : "";
    text = digits[0] + fraction + "e" + (exponent < 0 ? "-" : "+") + String(Math.abs(exponent)).padStart(2, "0");
  } else if (exponent < 0) {
    text = "0." + "0".repeat(-exponent - 1) + digits;
  } else if (digits.length > exponent + 1) {
    text = digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
  } else {
    text = digits + "0".repeat(exponent + 1 - digits.length) + ".0";
  }
  return (x < 0 ? "-" : "") + text;
}

// --- the rows' forwards that are functions: total, as in microbp.core.ops ----------------------

function exp(x) { return Math.exp(x); }
function log(x) { return x > 0 ? Math.log(x) : (x === 0 ? -Infinity : NaN); }
function sqrt(x) { return x >= 0 ? Math.sqrt(x) : NaN; }
function log1p(x) { return x > -1 ? Math.log1p(x) : (x === -1 ? -Infinity : NaN); }
function sin(x) { return Math.sin(x); }
function cos(x) { return Math.cos(x); }
function sinh(x) { return Math.sinh(x); }
function cosh(x) { return Math.cosh(x); }
function sech(x) { return 1 / Math.cosh(x); }
function tanh(x) { return Math.tanh(x); }
function max(a, b) { return a !== a || b !== b ? NaN : (a >= b ? a : b); }
function min(a, b) { return a !== a || b !== b ? NaN : (a <= b ? a : b); }
function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
function softplus(x) { return x === x ? (0 > x ? 0 : x) + Math.log1p(Math.exp(-Math.abs(x))) : x; }
function relu(x) { return x <= 0 ? 0 : x; }
function abs(x) { return Math.abs(x); }
function step(x) { return x > 0 ? 1 : (x <= 0 ? 0 : x); }
function sign(x) { return x > 0 ? 1 : (x < 0 ? -1 : x * 0); }
function xlogy(x, y) { return (x === 0 && y === y) || (y === 0 && x === x) ? 0 : x * log(y); }
function times(a, b) { return a === 0 || b === 0 ? 0 : a * b; }  // the chain rule's product: 0 passes nothing
function sum(xs) { return addAll(xs); }
function dot(ws, xs) { return addAll(ws.map((w, i) => w * xs[i])); }
function affine(ws, xs, b) { return dot(ws, xs) + b; }

// --- the domain checks' messages (null: inside the domain; nan passes: nan in, nan out) --------

function domain_truediv(a, b) { return b !== 0 ? null : `division by zero (${repr(a)} / ${repr(b)})`; }
function domain_log(x) { return x > 0 || x !== x ? null : `needs x > 0, got x = ${repr(x)}`; }
function domain_sqrt(x) { return x >= 0 || x !== x ? null : `needs x >= 0, got x = ${repr(x)}`; }
function domain_log1p(x) { return x > -1 || x !== x ? null : `needs x > -1, got x = ${repr(x)}`; }
function domain_xlogy(x, y) { return y > 0 || y !== y ? null : `needs y > 0, got y = ${repr(y)}`; }
function domain_pow(a, b) {
  if (a === 0 && b < 0) return `0 ** ${repr(b)} divides by zero`;
  if (a < 0 && Number.isFinite(b) && !Number.isInteger(b)) {
    return `${repr(a)} ** ${repr(b)} is not a real number (negative base, fractional exponent)`;
  }
  return null;
}

/* THE TABLE */
