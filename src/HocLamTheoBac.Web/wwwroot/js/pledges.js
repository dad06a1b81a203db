// Pledge grid: "select all" checkbox for bulk approve / return / verify, and the row editors. Rows are read-only
// text; "Sửa" (a pledge) and "Thêm việc làm theo" (a member) open the row's editor in place from the page's
// templates, so several rows can be changed before one save. Without script the same links reload the grid with
// that row open (the server renders the same editor).
(function () {
  'use strict';
  var all = document.getElementById('select-all');
  if (all) {
    all.addEventListener('change', function () {
      document.querySelectorAll('input[name="Input.Selected"]').forEach(function (c) { c.checked = all.checked; });
    });
  }
  var next = document.getElementById('grid-next');
  if (!next) return;
  var counters = { edit: parseInt(next.dataset.edit, 10) || 0, add: parseInt(next.dataset.new, 10) || 0 };

  // The member's name: the text of the header's "mn-<member>" span (the rows' accessible names refer to it too).
  function memberName(member) { return document.getElementById('mn-' + member).textContent; }

  // A copy of template TPL's row with __I__ (list index), __K__ (pledge or member id) and __N__ (member's name) filled in.
  function fromTemplate(tpl, index, key, name) {
    var row = document.getElementById(tpl).content.querySelector('tr').cloneNode(true);
    row.querySelectorAll('*').forEach(function (el) {
      ['name', 'id', 'for', 'value'].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v && v.indexOf('__') >= 0) el.setAttribute(a, v.replace(/__I__/g, index).replace(/__K__/g, key));
      });
      if (el.tagName === 'LABEL') el.textContent = el.textContent.replace(/__N__/g, name);
    });
    return row;
  }

  document.addEventListener('click', function (e) {
    var link = e.target.closest('a.edit-row, a.add-row');
    if (!link) return;
    e.preventDefault();
    if (link.classList.contains('edit-row')) {
      // The row's pledge id is its "p-<id>", the member's its group's "m-<member>" (no data attributes a link).
      var tr = link.closest('tr'), id = tr.id.slice(2), group = tr.closest('tbody');
      var cells = [tr.querySelector('.g-c'), tr.querySelector('.g-s'), tr.querySelector('.g-d')];
      var editor = fromTemplate('edit-tpl', counters.edit++, id, memberName(group.id.slice(2)));
      var fields = editor.querySelectorAll('td');
      editor.querySelector('input[name$=".Version"]').value = tr.dataset.version;
      fields[0].querySelector('textarea').value = cells[0].textContent;
      fields[1].querySelector('textarea').value = cells[1].textContent;
      fields[2].querySelector('input[data-date]').value = cells[2].textContent;
      fields.forEach(function (td, i) {
        var copy = td.querySelector('.print-only');
        copy.textContent = cells[i].textContent;
        if (cells[i].id) copy.id = cells[i].id;   // the content's id: the row's check box is labelled by it
        cells[i].replaceWith(td);
      });
      link.remove();
      fields[0].querySelector('textarea').focus();
    } else {
      var body = link.closest('tbody'), member = body.id.slice(2);
      var added = fromTemplate('new-tpl', counters.add++, member, memberName(member));
      body.appendChild(added);
      link.remove();
      added.querySelector('textarea').focus();
    }
  });
})();
