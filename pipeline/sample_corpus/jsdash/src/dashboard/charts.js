// Sparkline charts drawn on a canvas; loaded lazily by main.js.
import { clamp } from '../util/format.js';

export function drawSparkline(card, metric, { width = 160, height = 40 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const values = metric.points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = (i / Math.max(values.length - 1, 1)) * width;
    const y = height - clamp((v - min) / span, 0, 1) * height;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  card.appendChild(canvas);
}
