/* Deload: the outbox's email preview takes the height of the email inside it, at any width. The
   email's own document runs no script (its policy and the sandbox forbid it); this page measures
   it, which the frame's same-origin sandbox allows. */
/* global document, window, requestAnimationFrame, cancelAnimationFrame */
(function () {
  'use strict';

  function fit(frame) {
    const doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    frame.style.height = '0px';
    frame.style.height = `${doc.documentElement.scrollHeight}px`;
  }

  document.querySelectorAll('iframe.email-preview').forEach((frame) => {
    frame.addEventListener('load', () => fit(frame));
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete') fit(frame);
    let pending = 0;
    window.addEventListener('resize', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => fit(frame));
    });
  });
})();
