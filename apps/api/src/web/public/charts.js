/* Deload dashboard charts: reads the JSON API and draws with Chart.js (served from /assets/vendor). */
/* global Chart, document, window, fetch, navigator */
(function () {
  'use strict';

  const css = window.getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const COLOURS = {
    ink: colour('--ink', '#1f2933'),
    muted: colour('--muted', '#52606d'),
    line: colour('--line', '#d9e2ec'),
    accent: colour('--accent', '#0b6e4f'),
    info: colour('--info', '#2b6cb0'),
    caution: colour('--caution', '#975a16'),
    warning: colour('--warning', '#c05621'),
    high: colour('--high', '#c53030'),
    band: 'rgba(11, 110, 79, 0.12)',
    bar: 'rgba(11, 110, 79, 0.75)',
  };
  const SEVERITY_ORDER = ['info', 'caution', 'warning', 'high'];
  const LOCATION_COLOURS = ['#c05621', '#2b6cb0', '#6b46c1', '#0b6e4f', '#975a16', '#b83280', '#2c7a7b', '#52606d'];

  const metresPer = (units) => (units === 'mi' ? 1609.344 : 1000);
  const inUnits = (metres, units, decimals = 1) =>
    metres === null || metres === undefined ? null : Number((metres / metresPer(units)).toFixed(decimals));
  const shortDate = (isoDate) =>
    new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${isoDate}T12:00:00Z`));

  if (window.Chart) {
    Chart.defaults.animation = false;
    Chart.defaults.color = COLOURS.muted;
    Chart.defaults.borderColor = COLOURS.line;
    Chart.defaults.font.family = css.fontFamily || 'system-ui, sans-serif';
    Chart.defaults.maintainAspectRatio = false;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  function showProblem(canvas, text) {
    const note = document.createElement('p');
    note.className = 'muted chart-problem';
    note.setAttribute('role', 'status');
    note.textContent = text;
    canvas.replaceWith(note);
  }

  function draw(canvasId, config) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return null;
    return new Chart(canvas, config);
  }

  function worstSeverity(alerts) {
    return alerts.reduce(
      (worst, alert) => (SEVERITY_ORDER.indexOf(alert.severity) > SEVERITY_ORDER.indexOf(worst) ? alert.severity : worst),
      'info',
    );
  }

  function weeklyChart(data, units) {
    const weeks = data.weekly;
    const markerColours = weeks.map((week) => (week.alerts.length ? COLOURS[worstSeverity(week.alerts)] : 'transparent'));
    draw('chart-weekly', {
      type: 'bar',
      data: {
        labels: weeks.map((week) => shortDate(week.weekStart)),
        datasets: [
          {
            type: 'bar',
            label: `Distance (${units})`,
            data: weeks.map((week) => inUnits(week.distanceM, units)),
            backgroundColor: COLOURS.bar,
            order: 2,
          },
          {
            type: 'line',
            label: 'An alert began',
            data: weeks.map((week) => (week.alerts.length ? inUnits(week.distanceM, units) : null)),
            showLine: false,
            pointStyle: 'triangle',
            pointRadius: 8,
            pointHoverRadius: 10,
            backgroundColor: COLOURS.warning,
            borderColor: COLOURS.warning,
            pointBackgroundColor: markerColours,
            pointBorderColor: markerColours,
            order: 1,
          },
        ],
      },
      options: {
        scales: { y: { beginAtZero: true, title: { display: true, text: units } } },
        plugins: {
          tooltip: {
            callbacks: {
              afterBody: (items) => {
                const week = weeks[items[0].dataIndex];
                return week.alerts.map((alert) => `Alert: ${data.ruleTitles[alert.rule] || alert.rule} (${alert.severity})`);
              },
            },
          },
        },
      },
    });
  }

  function ratioChart(data) {
    const runs = data.runRatios.filter((run) => run.ratio !== null);
    const canvas = document.getElementById('chart-ratios');
    if (!canvas) return;
    if (!runs.length) return showProblem(canvas, 'Not enough history yet: each run is compared with the 30 days before it.');
    const { caution, high } = data.spikeThresholds;
    const barColour = (ratio) => (ratio > high ? COLOURS.high : ratio > caution ? COLOURS.caution : COLOURS.bar);
    draw('chart-ratios', {
      type: 'bar',
      data: {
        labels: runs.map((run) => shortDate(run.date)),
        datasets: [
          {
            type: 'bar',
            label: 'Run ÷ longest of the 30 days before',
            data: runs.map((run) => run.ratio),
            backgroundColor: runs.map((run) => barColour(run.ratio)),
            order: 3,
          },
          {
            type: 'line',
            label: `Caution (${caution}×)`,
            data: runs.map(() => caution),
            borderColor: COLOURS.caution,
            borderDash: [6, 4],
            pointRadius: 0,
            order: 1,
          },
          {
            type: 'line',
            label: `High (${high}×)`,
            data: runs.map(() => high),
            borderColor: COLOURS.high,
            borderDash: [2, 3],
            pointRadius: 0,
            order: 2,
          },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: '×' } } } },
    });
  }

  function acwrChart(data) {
    const points = data.acwr;
    const canvas = document.getElementById('chart-acwr');
    if (!canvas) return;
    if (!points.some((point) => point.ratio !== null)) return showProblem(canvas, 'The ratio needs about five weeks of history.');
    const { low, high } = data.acwrBand;
    draw('chart-acwr', {
      type: 'line',
      data: {
        labels: points.map((point) => shortDate(point.date)),
        datasets: [
          { label: 'Band low', data: points.map(() => low), borderColor: 'transparent', pointRadius: 0, fill: false },
          {
            label: `Usual band ${low}–${high}`,
            data: points.map(() => high),
            borderColor: 'transparent',
            backgroundColor: COLOURS.band,
            pointRadius: 0,
            fill: '-1',
          },
          {
            label: 'ACWR (context)',
            data: points.map((point) => point.ratio),
            borderColor: COLOURS.info,
            backgroundColor: COLOURS.info,
            pointRadius: 0,
            borderWidth: 2,
            spanGaps: false,
          },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, suggestedMax: 2 }, x: { ticks: { maxTicksLimit: 10 } } },
        plugins: { legend: { labels: { filter: (item) => item.text !== 'Band low' } } },
      },
    });
  }

  function painChart(data, units) {
    const reports = data.pain.filter((report) => report.hasPain);
    if (!reports.length || !document.getElementById('chart-pain')) return;
    const dates = [...new Set(reports.map((report) => report.date))];
    const locations = [...new Set(reports.map((report) => report.location || 'other'))];
    const usesDistance = reports.some((report) => report.onsetM !== null);
    const datasets = locations.map((location, index) => {
      const byDate = new Map(reports.filter((report) => (report.location || 'other') === location).map((report) => [report.date, report]));
      const value = (report) =>
        !report ? null : usesDistance ? inUnits(report.onsetM, units) : report.onsetS === null ? null : Math.round(report.onsetS / 60);
      return {
        label: location.replace(/_/g, ' '),
        data: dates.map((date) => value(byDate.get(date))),
        borderColor: LOCATION_COLOURS[index % LOCATION_COLOURS.length],
        backgroundColor: LOCATION_COLOURS[index % LOCATION_COLOURS.length],
        pointRadius: 5,
        spanGaps: true,
      };
    });
    draw('chart-pain', {
      type: 'line',
      data: { labels: dates.map(shortDate), datasets },
      options: {
        scales: {
          y: { beginAtZero: true, title: { display: true, text: usesDistance ? `${units} into the run` : 'minutes into the run' } },
        },
      },
    });
  }

  function shoesChart(data, units) {
    const shoes = data.shoes.filter((shoe) => !shoe.retired);
    if (!shoes.length || !document.getElementById('chart-shoes')) return;
    const used = shoes.map((shoe) => inUnits(Math.min(shoe.distanceM, shoe.limitM), units, 0));
    const left = shoes.map((shoe) => inUnits(Math.max(0, shoe.limitM - shoe.distanceM), units, 0));
    const past = shoes.map((shoe) => inUnits(Math.max(0, shoe.distanceM - shoe.limitM), units, 0));
    const usedColours = shoes.map((shoe) =>
      shoe.state === 'worn' ? COLOURS.warning : shoe.state === 'ageing' ? COLOURS.caution : COLOURS.bar,
    );
    draw('chart-shoes', {
      type: 'bar',
      data: {
        labels: shoes.map((shoe) => shoe.name),
        datasets: [
          { label: `Run in them (${units})`, data: used, backgroundColor: usedColours },
          { label: 'Left before the retire distance', data: left, backgroundColor: COLOURS.line },
          { label: 'Past the retire distance', data: past, backgroundColor: COLOURS.high },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true, title: { display: true, text: units } }, y: { stacked: true } } },
    });
  }

  async function runnerPage(root) {
    const units = root.dataset.units;
    let data;
    try {
      data = await getJson(`/api/runners/${encodeURIComponent(root.dataset.runnerId)}/overview`);
    } catch {
      root
        .querySelectorAll('canvas')
        .forEach((canvas) => showProblem(canvas, 'The chart could not be loaded; the numbers are in the tables.'));
      return;
    }
    weeklyChart(data, units);
    ratioChart(data);
    acwrChart(data);
    painChart(data, units);
    shoesChart(data, units);
    document.body.dataset.chartsReady = 'true';
  }

  async function teamPage(root) {
    const units = root.dataset.units;
    const canvases = document.querySelectorAll('canvas.sparkline');
    if (!canvases.length) return;
    // The page carries each row's weeks (data-weeks); older pages without them ask the API.
    let weeksByRunner = new Map();
    if ([...canvases].some((canvas) => !canvas.dataset.weeks)) {
      let data;
      try {
        data = await getJson(`/api/teams/${encodeURIComponent(root.dataset.teamId)}${window.location.search}`);
      } catch {
        canvases.forEach((canvas) => showProblem(canvas, '–'));
        return;
      }
      weeksByRunner = new Map(data.rows.map((row) => [row.runner.id, row.summary.weeks]));
    }
    canvases.forEach((canvas) => {
      const weeks = canvas.dataset.weeks ? JSON.parse(canvas.dataset.weeks) : weeksByRunner.get(canvas.dataset.runnerId) || [];
      new Chart(canvas, {
        type: 'line',
        data: {
          labels: weeks.map((week) => week.weekStart),
          datasets: [
            {
              data: weeks.map((week) => inUnits(week.distanceM, units)),
              borderColor: COLOURS.accent,
              backgroundColor: COLOURS.band,
              fill: true,
              pointRadius: 0,
              borderWidth: 2,
              tension: 0.3,
            },
          ],
        },
        options: {
          responsive: false,
          events: [],
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
        },
      });
    });
    document.body.dataset.chartsReady = 'true';
  }

  function copyButtons() {
    document.querySelectorAll('[data-copy]').forEach((button) => {
      button.addEventListener('click', async () => {
        const field = document.querySelector(button.dataset.copy);
        if (!field) return;
        field.select();
        try {
          await navigator.clipboard.writeText(field.value);
          button.textContent = 'Copied';
        } catch {
          button.textContent = 'Press Ctrl+C to copy';
        }
      });
    });
  }

  copyButtons();
  const runnerRoot = document.getElementById('runner-charts');
  if (runnerRoot) runnerPage(runnerRoot);
  const teamRoot = document.getElementById('team-data');
  if (teamRoot) teamPage(teamRoot);
})();
