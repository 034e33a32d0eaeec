/*
 * The words the site's scripts show, in the site's language (theme.language). The build puts them at
 * the top of this file as published (`self.selfhelpMessageData = {...};`, from generator/locales/<language>.json
 * and the site's `messages:` option), so every page shares one cached copy and works offline and on file://.
 * A page that still carries them as JSON data (<script type="application/json" id="shs-messages">, from an
 * older main.html in a site's custom_dir) is read the same way.
 *   selfhelpT(key, vars)  the message, with {name} placeholders filled from vars; a message with plural
 *                         forms ({"one": ..., "other": ...}) takes the form Intl.PluralRules gives vars.count
 *   selfhelpLang()        the page's language, for Intl.DateTimeFormat and toLocale*String
 */
(function () {
  "use strict";
  var found = null;

  function data() {
    if (found) return found;
    if (self.selfhelpMessageData) return (found = self.selfhelpMessageData);
    var el = document.getElementById("shs-messages");
    try {
      found = JSON.parse(el.textContent);
    } catch (error) {
      found = { lang: document.documentElement.lang || "en", messages: {} };
    }
    return found;
  }

  function lang() {
    return data().lang || "en";
  }

  function plural(count) {
    try {
      return new Intl.PluralRules(lang()).select(count);
    } catch (error) {
      return count === 1 ? "one" : "other";
    }
  }

  window.selfhelpLang = lang;
  window.selfhelpT = function (key, vars) {
    var message = data().messages[key];
    vars = vars || {};
    if (message && typeof message === "object") message = message[plural(Number(vars.count))] || message.other;
    if (typeof message !== "string") return key;
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  };
})();
