/* Deload: import run files from the runner page through the JSON API (POST /api/runs/files). */
/* global document, window, fetch, FormData */
(function () {
  'use strict';

  const form = document.getElementById('upload-form');
  if (!form) return;
  const input = form.querySelector('input[type="file"]');
  const button = form.querySelector('button[type="submit"]');
  const status = document.getElementById('upload-status');
  const csrf = document.querySelector('meta[name="csrf-token"]');
  form.hidden = false;

  function describe(files) {
    return files.map((file) => `${file.filename}: ${file.status}${file.reason ? ` (${file.reason})` : ''}`);
  }

  function show(lines) {
    status.replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement('li');
        item.textContent = line;
        return item;
      }),
    );
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.files.length) return show(['Choose one or more files first.']);
    const body = new FormData();
    for (const file of input.files) body.append('files', file, file.name);
    button.disabled = true;
    show(['Importing…']);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'x-csrf-token': csrf ? csrf.content : '' },
      });
      const result = await response.json();
      if (!result.files) return show([result.message || `The import failed (${response.status}).`]);
      const { imported, duplicate, rejected } = result.counts;
      show([`${imported} imported, ${duplicate} already known, ${rejected} rejected.`, ...describe(result.files)]);
      if (imported > 0) window.setTimeout(() => window.location.reload(), 1500);
    } catch {
      show(['The import could not reach Deload; check the connection and try again.']);
    } finally {
      button.disabled = false;
    }
  });
})();
