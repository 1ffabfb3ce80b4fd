// Dorsum's only script: makes the body map clickable and keyboard-operable. Every page works without it
// (the checkbox list beside the map does the same job). No network requests, no storage, no tracking.
(function () {
  'use strict';
  var shapes = document.querySelectorAll('[data-bodymap] .region');
  Array.prototype.forEach.call(shapes, function (shape) {
    var id = shape.getAttribute('data-region');
    var box = document.getElementById('region-' + id);
    if (!box) { return; }
    var title = shape.querySelector('title');
    shape.setAttribute('role', 'checkbox');
    shape.setAttribute('tabindex', '0');
    shape.setAttribute('aria-label', title ? title.textContent : id);
    function sync() {
      shape.setAttribute('aria-checked', box.checked ? 'true' : 'false');
      if (box.checked) { shape.classList.add('selected'); } else { shape.classList.remove('selected'); }
    }
    function toggle() { box.checked = !box.checked; sync(); }
    shape.addEventListener('click', toggle);
    shape.addEventListener('keydown', function (e) {
      if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(); }
    });
    box.addEventListener('change', sync);
    sync();
  });
})();
