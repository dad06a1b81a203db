// Behaviour shared by every page (served locally, no CDN):
// - data-confirm on a submit button or form: ask before submitting;
// - data-warn-unsaved on a form: warn before leaving the page with unsaved changes;
// - every form shows that it is working after submit ("Đang xử lý…") and is not sent twice; links that make a
//   file (a.btn[download], a[data-busy]) show it too for a few seconds (the page stays, so there is no end to wait for);
// - date boxes (input[data-date], dd/mm/yyyy whatever the browser's language) tidy what was typed on leaving the box:
//   1/2/2025 → 01/02/2025, 15122025 → 15/12/2025. The server reads the same shapes, so nothing depends on this.
(function () {
  'use strict';

  // A question may name what was typed: {#id} becomes the box's value, with its name from the box's list
  // ("Chi bộ Tổ dân phố 1 (TQ-TP-PT-TDP1)"), or "(chưa nhập)" (the walk of session 13: a merge was confirmed blind).
  function question(text) {
    return text.replace(/\{#([\w-]+)\}/g, function (_, id) {
      var box = document.getElementById(id);
      var value = box ? box.value.trim() : '';
      if (!value) return '(chưa nhập)';
      var options = box.list ? box.list.options : [];
      for (var i = 0; i < options.length; i++) {
        if (options[i].value === value) return options[i].textContent + ' (' + value + ')';
      }
      return 'đơn vị có mã ' + value;
    });
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-confirm], input[type=submit][data-confirm]');
    if (button && !window.confirm(question(button.getAttribute('data-confirm')))) {
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
    if (form.getAttribute('data-confirm') && !window.confirm(question(form.getAttribute('data-confirm')))) {
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
      if (submitter) showBusy(submitter);
    }, 0);
  });

  var BUSY = 'Đang xử lý…';
  function showBusy(el) {
    if (el.dataset.idleHtml !== undefined) return;
    if (el.tagName === 'INPUT') {
      el.dataset.idleHtml = el.value;
      el.value = BUSY;
    } else {
      el.dataset.idleHtml = el.innerHTML;
      el.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>' + BUSY;
    }
    el.setAttribute('aria-busy', 'true');
  }
  function showIdle(el) {
    if (el.dataset.idleHtml === undefined) return;
    if (el.tagName === 'INPUT') el.value = el.dataset.idleHtml; else el.innerHTML = el.dataset.idleHtml;
    delete el.dataset.idleHtml;
    el.removeAttribute('aria-busy');
    el.classList.remove('disabled');
    el.removeAttribute('aria-disabled');
  }

  document.addEventListener('click', function (e) {
    var link = e.target.closest('a.btn[download], a[data-busy]');
    if (!link || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (link.dataset.idleHtml !== undefined) { e.preventDefault(); return; }
    window.setTimeout(function () {
      showBusy(link);
      link.classList.add('disabled');
      link.setAttribute('aria-disabled', 'true');
      window.setTimeout(function () { showIdle(link); }, 5000);
    }, 0);
  });

  function tidyDate(text) {
    var t = text.trim(), m;
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(t))) return pad(m[1]) + '/' + pad(m[2]) + '/' + m[3];
    if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(t))) return m[1] + '/' + m[2] + '/' + m[3];
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) return m[3] + '/' + m[2] + '/' + m[1];
    return text;
  }
  function pad(n) { return n.length === 1 ? '0' + n : n; }
  document.addEventListener('change', function (e) {
    var box = e.target;
    if (box.matches && box.matches('input[data-date]')) box.value = tidyDate(box.value);
  }, true);

  // A page restored from the back/forward cache must not stay busy.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-busy=true]').forEach(function (form) {
      form.dataset.busy = 'false';
      form.removeAttribute('aria-busy');
      form.querySelectorAll('button[type=submit], input[type=submit]').forEach(function (b) { b.disabled = false; });
      form.querySelectorAll('[data-idle-html]').forEach(showIdle);
    });
    document.querySelectorAll('a[data-idle-html]').forEach(showIdle);
  });
})();
