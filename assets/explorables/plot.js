// What the explorables share: the embedded numbers, SVG drawing and number formatting. No library.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

/** The numbers the build embedded (mathcore's, for the config in use). */
function embedded() {
  return JSON.parse(document.getElementById("numbers").textContent);
}

/** A new SVG element with attributes, appended to parent. */
function svgEl(tag, attrs, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

/** A linear map from [d0, d1] to [r0, r1]. */
function linear(d0, d1, r0, r1) {
  const f = (v) => r0 + ((v - d0) * (r1 - r0)) / (d1 - d0);
  f.domain = [d0, d1];
  f.range = [r0, r1];
  return f;
}

/** Round tick values covering [lo, hi], about n of them. */
function ticks(lo, hi, n) {
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Up to `digits` significant digits, no trailing zeros. */
function fmt(v, digits = 4) {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/** A plot area inside an SVG: scales x, y, grid lines, tick labels and axis titles. */
function frame(svg, box, xr, yr, titles) {
  const x = linear(xr[0], xr[1], box.left, box.right);
  const y = linear(yr[0], yr[1], box.bottom, box.top);
  const g = svgEl("g", { class: "frame" }, svg);
  for (const v of ticks(xr[0], xr[1], 6)) {
    svgEl("line", { class: "grid", x1: x(v), x2: x(v), y1: box.top, y2: box.bottom }, g);
    svgEl("text", { x: x(v), y: box.bottom + 16, "text-anchor": "middle" }, g).textContent = fmt(v, 3);
  }
  for (const v of ticks(yr[0], yr[1], 5)) {
    svgEl("line", { class: "grid", x1: box.left, x2: box.right, y1: y(v), y2: y(v) }, g);
    svgEl("text", { x: box.left - 6, y: y(v) + 4, "text-anchor": "end" }, g).textContent = fmt(v, 3);
  }
  svgEl("rect", { class: "axis", x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top,
                  fill: "none" }, g);
  svgEl("text", { x: (box.left + box.right) / 2, y: box.bottom + 34, "text-anchor": "middle" }, g).textContent = titles[0];
  svgEl("text", { x: 14, y: (box.top + box.bottom) / 2, "text-anchor": "middle",
                  transform: `rotate(-90 14 ${(box.top + box.bottom) / 2})` }, g).textContent = titles[1];
  const clip = svgEl("clipPath", { id: `${svg.id}-clip` }, svg);
  svgEl("rect", { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top }, clip);
  const inside = svgEl("g", { "clip-path": `url(#${svg.id}-clip)` }, svg);
  return { x, y, inside, g };
}

/** Pixels a polyline's point may lie off the plot: a browser drops a whole path with a point far beyond. */
const FAR = 1e6;

/** "x1,y1 x2,y2 ..." for a polyline, up to the first point more than FAR pixels away (a diverging run's). */
function points(xs, ys, x, y) {
  const out = [];
  for (let i = 0; i < xs.length; i++) {
    const px = x(xs[i]), py = y(ys[i]);
    if (!(Math.abs(px) < FAR && Math.abs(py) < FAR)) break;
    out.push(`${px.toFixed(3)},${py.toFixed(3)}`);
  }
  return out.join(" ");
}
