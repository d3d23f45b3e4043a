/* Deload: import run files from the runner page through the JSON API (POST /api/runs/files), one
 * request per file so each file shows its own upload progress and its own result. The server
 * answers 202 once the file is stored; the worker imports it and GET /api/imports/:id tells how
 * far it has come, then what became of it. */
/* global document, window, FormData, XMLHttpRequest */
(function () {
  'use strict';

  const form = document.getElementById('upload-form');
  if (!form) return;
  const input = form.querySelector('input[type="file"]');
  const units = form.querySelector('select[name="units"]');
  const button = form.querySelector('button[type="submit"]');
  const summary = document.getElementById('upload-summary');
  const list = document.getElementById('upload-list');
  const refresh = document.getElementById('upload-refresh');
  const csrf = document.querySelector('meta[name="csrf-token"]');
  /** Results shown again after the page reloads to show the new runs. */
  const STORED = 'deload-upload-results';
  form.hidden = false;

  function megabytes(bytes) {
    if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  const plural = (count, word, words = `${word}s`) => `${count} ${count === 1 ? word : words}`;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** "3 activities: 2 imported, 1 rejected" for an archive; the runs a single file gave otherwise. */
  function outcomeText(file) {
    if (file.entries) {
      const counts = { imported: 0, duplicate: 0, rejected: 0 };
      for (const entry of file.entries) counts[entry.status] += 1;
      const parts = [`${counts.imported} imported`, `${counts.duplicate} already known`, `${counts.rejected} rejected`];
      const reason = file.status === 'rejected' && file.reason ? ` (${file.reason})` : '';
      return `${plural(file.entries.length, 'activity', 'activities')}: ${parts.join(', ')}${reason}`;
    }
    if (file.status === 'rejected') return `Rejected: ${file.reason || 'no reason given'}`;
    if (file.status === 'duplicate') return 'Already imported: nothing new';
    const added = file.runs.filter((run) => run.status === 'inserted').length;
    const changed = file.runs.length - added - file.runs.filter((run) => run.status === 'duplicate').length;
    const words = [
      added ? `${plural(added, 'run')} added` : '',
      changed ? `${plural(changed, 'run')} already stored brought up to date` : '',
    ];
    return `Imported: ${words.filter(Boolean).join(', ') || 'nothing new'}`;
  }

  /** The problems worth reading: warnings, and each rejected activity of an archive with its reason. */
  function detailLines(file) {
    const own = (file.warnings || []).map((warning) => `Warning: ${warning}`);
    const entries = (file.entries || []).flatMap((entry) => [
      ...(entry.status === 'rejected' ? [`${entry.filename}: rejected, ${entry.reason}`] : []),
      ...(entry.warnings || []).map((warning) => `${entry.filename}: ${warning}`),
    ]);
    return [...own, ...entries];
  }

  /** One file's row: name and size, a progress bar while it goes up, then what became of it. */
  function fileRow(state) {
    const row = element('li', 'upload-file');
    const head = element('p', 'upload-head');
    head.append(element('span', 'filename', state.name), element('span', 'muted', ` ${megabytes(state.size)}`));
    const bar = element('progress');
    bar.max = 100;
    bar.setAttribute('aria-label', `Upload of ${state.name}`);
    const result = element('p', 'upload-result');
    row.append(head, bar, result);
    list.append(row);
    return { row, bar, result };
  }

  function showProgress(view, state) {
    const { bar, result } = view;
    if (state.phase === 'uploading') {
      bar.value = state.size ? Math.round((100 * state.loaded) / state.size) : 0;
      result.textContent = `Uploading: ${megabytes(state.loaded)} of ${megabytes(state.size)}`;
    } else if (state.phase === 'importing' && state.total > 1) {
      bar.value = Math.round((100 * state.done) / state.total);
      result.textContent = `Uploaded; importing: ${state.done} of ${plural(state.total, 'activity', 'activities')}…`;
    } else if (state.phase === 'importing') {
      bar.removeAttribute('value');
      result.textContent = 'Uploaded; importing…';
    } else {
      result.textContent = 'Waiting…';
    }
  }

  function showOutcome(view, state) {
    const { row, bar, result } = view;
    bar.value = 100;
    if (state.file) {
      result.replaceChildren(element('span', `status ${state.file.status}`, outcomeText(state.file)));
      const details = detailLines(state.file);
      if (details.length) {
        const more = element('details', 'upload-details');
        more.append(element('summary', '', plural(details.length, 'note')));
        const notes = element('ul', 'small');
        notes.append(...details.map((line) => element('li', '', line)));
        more.append(notes);
        row.append(more);
      }
    } else {
      result.replaceChildren(element('span', 'status rejected', state.message));
    }
  }

  function showSummary(states) {
    const counts = { imported: 0, duplicate: 0, rejected: 0 };
    for (const state of states) {
      if (state.counts) for (const status of Object.keys(counts)) counts[status] += state.counts[status];
      else if (state.message) counts.rejected += 1;
    }
    summary.textContent = `${counts.imported} imported, ${counts.duplicate} already known, ${counts.rejected} rejected.`;
    return counts;
  }

  /** What the server said about one import, or why there is no answer to show. */
  function answerOf(status, body) {
    if (body && Array.isArray(body.files) && body.files.length) return { file: body.files[0], counts: body.counts };
    if (body && body.message) return { message: Array.isArray(body.message) ? body.message.join('; ') : body.message };
    return { message: `The import failed (${status || 'no answer'}).` };
  }

  const pause = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));
  const UNREACHABLE = { message: 'Could not reach Deload; check the connection and try again.' };

  /**
   * Asks how the import is going until it is done or failed: every 100 ms for the first 2 seconds
   * (a small file is imported in a moment), then half as often again each time, at most every 2 s.
   */
  async function follow(url, state, view) {
    const started = Date.now();
    let wait = 100;
    let failures = 0;
    for (;;) {
      await pause(wait);
      if (Date.now() - started > 2000) wait = Math.min(2000, Math.round(wait * 1.5));
      let response;
      let body;
      try {
        response = await window.fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
        body = await response.json().catch(() => null);
      } catch {
        if (++failures >= 5) return UNREACHABLE;
        continue;
      }
      if (!response.ok) {
        if (response.status >= 500 && ++failures < 5) continue;
        return answerOf(response.status, body);
      }
      failures = 0;
      if (body.status === 'done' || body.status === 'failed') return answerOf(response.status, body);
      Object.assign(state, { done: body.progress.done, total: body.progress.total });
      showProgress(view, state);
    }
  }

  /** Sends one file as its own request; resolves once the server has taken it (with where to follow it) or refused it. */
  function upload(file, state, view) {
    return new Promise((resolve) => {
      const body = new FormData();
      if (units && units.value) body.append('units', units.value);
      body.append('files', file, file.name);
      const request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.responseType = 'json';
      request.setRequestHeader('accept', 'application/json');
      request.setRequestHeader('x-csrf-token', csrf ? csrf.content : '');
      request.upload.onprogress = (event) => {
        Object.assign(state, { phase: 'uploading', loaded: event.loaded });
        showProgress(view, state);
      };
      request.upload.onload = () => {
        state.phase = 'importing';
        showProgress(view, state);
      };
      request.onload = () => {
        const answer = request.response;
        if (request.status === 202 && answer && answer.url) resolve({ url: answer.url });
        else resolve(answerOf(request.status, answer));
      };
      request.onerror = () => resolve(UNREACHABLE);
      request.send(body);
    });
  }

  /** One file: its upload, then its import; resolves with what became of it. */
  async function send(file, state, view) {
    const taken = await upload(file, state, view);
    if (!taken.url) return taken;
    Object.assign(state, { phase: 'importing', done: 0, total: 0 });
    showProgress(view, state);
    return follow(taken.url, state, view);
  }

  function render(states) {
    list.replaceChildren();
    for (const state of states) showOutcome(fileRow(state), state);
    showSummary(states);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.files.length) {
      summary.textContent = 'Choose one or more files first.';
      return;
    }
    const files = Array.from(input.files);
    const states = files.map((file) => ({ name: file.name, size: file.size, loaded: 0, phase: 'waiting' }));
    list.replaceChildren();
    const views = states.map((state) => fileRow(state));
    states.forEach((state, index) => showProgress(views[index], state));
    button.disabled = true;
    refresh.parentElement.hidden = true;
    summary.textContent = `Importing ${plural(files.length, 'file')}…`;
    for (const [index, file] of files.entries()) {
      Object.assign(states[index], await send(file, states[index], views[index]), { phase: 'done' });
      showOutcome(views[index], states[index]);
    }
    button.disabled = false;
    input.value = '';
    const counts = showSummary(states);
    // New runs change the charts and the tables: offer to reload (the runner may still be reading
    // these results, so the page does not go away by itself); the results are kept across it.
    refresh.parentElement.hidden = counts.imported === 0;
    refresh.onclick = () => {
      remember(states);
      window.location.reload();
    };
  });

  /** Keeps the results for the reloaded page (when the browser keeps nothing, they are only in the imports table). */
  function remember(states) {
    try {
      window.sessionStorage.setItem(STORED, JSON.stringify(states));
    } catch {
      // Private mode or storage full: the reloaded page still lists the imports.
    }
  }

  function recall() {
    try {
      const stored = window.sessionStorage.getItem(STORED);
      window.sessionStorage.removeItem(STORED);
      return stored ? JSON.parse(stored) : null;
    } catch {
      return null;
    }
  }

  const kept = recall();
  if (kept) render(kept);
})();
