// Behaviour shared by every page (served locally, no CDN):
// - data-confirm on a submit button or form: ask before submitting;
// - data-warn-unsaved on a form: warn before leaving the page with unsaved changes;
// - every form shows that it is working after submit and is not sent twice.
(function () {
  'use strict';

  document.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-confirm], input[type=submit][data-confirm]');
    if (button && !window.confirm(button.getAttribute('data-confirm'))) {
      e.preventDefault();
    }
  }, true);

  var dirty = new Set();
  document.querySelectorAll('form[data-warn-unsaved]').forEach(function (form) {
    form.addEventListener('input', function () { dirty.add(form); });
    form.addEventListener('change', function (e) {
      if (e.target.type !== 'checkbox') dirty.add(form);
    });
  });
  window.addEventListener('beforeunload', function (e) {
    if (dirty.size > 0) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented) return;
    if (form.getAttribute('data-confirm') && !window.confirm(form.getAttribute('data-confirm'))) {
      e.preventDefault();
      return;
    }
    if (form.method.toLowerCase() !== 'post') return;
    if (form.dataset.busy === 'true') { e.preventDefault(); return; }
    dirty.delete(form);
    form.dataset.busy = 'true';
    form.setAttribute('aria-busy', 'true');
    var submitter = e.submitter;
    // Disabled after the form data is built, so the pressed button's name/value still goes along.
    window.setTimeout(function () {
      form.querySelectorAll('button[type=submit], input[type=submit]').forEach(function (b) { b.disabled = true; });
      if (submitter && submitter.tagName === 'BUTTON') {
        submitter.insertAdjacentHTML('afterbegin', '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>');
        submitter.setAttribute('aria-label', submitter.textContent.trim() + ' – đang xử lý');
      }
    }, 0);
  });

  // A page restored from the back/forward cache must not stay busy.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-busy=true]').forEach(function (form) {
      form.dataset.busy = 'false';
      form.removeAttribute('aria-busy');
      form.querySelectorAll('button[type=submit], input[type=submit]').forEach(function (b) { b.disabled = false; });
      form.querySelectorAll('.spinner-border').forEach(function (s) { s.remove(); });
    });
  });
})();
