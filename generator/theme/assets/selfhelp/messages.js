/*
 * The words the site's scripts show, in the site's language (theme.language). The build puts the language at
 * the top of this file as published (`self.selfhelpMessageData = {lang, messages: {}};`) and, at the top of each
 * script, the messages that script asks for (`self.selfhelpMessages`, from generator/locales/<language>.json and
 * the site's `messages:` option, generator/messages.py script_messages): a page loads the words of the scripts it
 * runs, and a script loaded on first need brings its own; cached with the scripts, offline and on file:// too.
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
    var own = self.selfhelpMessages || {};
    var message = Object.prototype.hasOwnProperty.call(own, key) ? own[key] : data().messages[key];
    vars = vars || {};
    if (message && typeof message === "object") message = message[plural(Number(vars.count))] || message.other;
    if (typeof message !== "string") return key;
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  };
})();
