/*
 * Material reads its own settings (palette, announcement) with __md_get, which
 * touches localStorage unguarded: where a browser blocks storage, that throws
 * before any page script runs. Wrap it so blocked storage reads as "nothing saved".
 */
(function () {
  "use strict";
  var read = window.__md_get;
  if (typeof read !== "function") return;
  window.__md_get = function () {
    try {
      return read.apply(this, arguments);
    } catch (error) {
      return null;
    }
  };
})();
