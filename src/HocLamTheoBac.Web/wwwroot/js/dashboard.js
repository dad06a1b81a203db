// Bar chart of completion rate by child unit; data comes from the canvas's data-chart attribute (no inline script, CSP).
(function () {
  var canvas = document.getElementById('completionChart');
  if (!canvas || typeof Chart === 'undefined') return;
  var data = JSON.parse(canvas.getAttribute('data-chart') || '{}');
  new Chart(canvas, {
    type: 'bar',
    data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: '#b71c1c' }] },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + ' %'; } } } },
      plugins: {
        tooltip: { callbacks: { label: function (c) { return c.raw === null ? '—' : c.raw.toLocaleString('vi-VN', { minimumFractionDigits: 1 }) + '\u00a0%'; } } }
      }
    }
  });
})();
