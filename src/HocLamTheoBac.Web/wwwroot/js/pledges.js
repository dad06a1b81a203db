// Pledge grid: "select all" checkbox for bulk approve / return / verify.
(function () {
  'use strict';
  var all = document.getElementById('select-all');
  if (!all) return;
  all.addEventListener('change', function () {
    document.querySelectorAll('.row-select').forEach(function (c) { c.checked = all.checked; });
  });
})();
