/*
 * Wraps Material's search worker to read queries the way people type them:
 * - small words ("a", "my", "to") are dropped, because Material turns every
 *   word into a prefix search and "my*" would match "myself" everywhere;
 * - each word of five or more letters also matches words one edit away, so
 *   "feeback" finds "feedback".
 * Material's worker is loaded from the path in ?worker=.
 */
"use strict";

var SEARCH_QUERY = 2; /* Material's message type for a query. */

function isStopWord(word) {
  return Boolean(self.lunr && self.lunr.stopWordFilter) && !self.lunr.stopWordFilter(word.toLowerCase());
}

function withTypoTolerance(query) {
  if (/(^|\s)[+-]|["~^*:]/.test(query)) return query; /* The reader wrote lunr syntax: keep it. */
  var words = query.split(/\s+/).filter(Boolean);
  var meaningful = words.filter(function (word) {
    return !isStopWord(word);
  });
  return (meaningful.length ? meaningful : words)
    .map(function (word) {
      return word.length >= 5 ? word + " " + word + "~1" : word;
    })
    .join(" ");
}

/* Registered before Material's own listener, so the query is rewritten first. */
self.addEventListener("message", function (event) {
  var message = event.data;
  if (message && message.type === SEARCH_QUERY && typeof message.data === "string") {
    message.data = withTypoTolerance(message.data);
  }
});

var materialWorker = new URL(self.location.href).searchParams.get("worker");
if (materialWorker && materialWorker.charAt(0) === "/" && materialWorker.indexOf("//") === -1) {
  importScripts(materialWorker);
}
