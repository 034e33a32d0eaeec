/* Dates in the reader's calendar, privately: an .ics file (RFC 5545) made in the browser from saved answers
 * and saved with a download link. Nothing is sent anywhere. Loaded by worksheets.js the first time a reader
 * asks for it, as `window.selfhelpCalendar(lib)` with worksheets.js's helpers.
 *
 * A date field with `calendar: <name>` in its worksheet becomes an all-day event called <name>, followed by
 * ": <answer>" where a text answer goes with it: the row's first text answer for a date in a group, else the
 * answer to the field just before it. The event's notes hold the row's other text answers and the worksheet's
 * title; a reminder goes off at 9:00 the day before. Each event's UID comes from the site, worksheet, field and
 * row, so saving the file again updates the events instead of adding copies.
 */
window.selfhelpCalendar = (lib) => {
  "use strict";
  const site = (document.querySelector("meta[name=selfhelp-site]") || {}).content || location.host || "selfhelp";
  const words = (f) => f.kind === "text" || f.kind === "textarea";
  const compact = (d) => d.toISOString().slice(0, 10).replace(/-/g, "");
  // RFC 5545 3.3.11: backslash, semicolon and comma escaped, line breaks as \n.
  const esc = (t) => String(t).replace(/[\\;,]/g, (c) => "\\" + c).replace(/\r?\n/g, "\\n");
  // 3.1: lines longer than 75 octets are folded (a line break and a space), never inside a character.
  function fold(line) {
    const out = [];
    let cur = "", size = 0;
    for (const ch of line) {
      const n = new TextEncoder().encode(ch).length;
      if (size + n > (out.length ? 74 : 75)) { out.push(cur); cur = ""; size = 0; }
      cur += ch;
      size += n;
    }
    return out.concat(cur).join("\r\n ");
  }

  /* Every calendar date answered in `entries` ([{schema, rec, only}]; `only`, a Set of field ids, limits them). */
  function events(entries) {
    const list = [];
    const add = (schema, f, date, id, name, notes) => lib.answered(f, date) && /^\d{4}-\d\d-\d\d$/.test(date) && list.push({
      date, uid: `${[schema.id, id, f.id].filter(Boolean).join(".")}@${site}`.replace(/[^\w.@-]+/g, "-"),
      summary: f.calendar + (name ? ": " + name : ""), notes: notes.concat(window.selfhelpT("calendar.from", { title: schema.title })).join("\n"),
    });
    for (const { schema, rec, only } of entries) {
      const a = (rec && rec.answers) || {};
      schema.fields.forEach((f, i) => {
        if (only && !only.has(f.id)) return;
        if (f.kind === "group") {
          const ids = (rec.rows && rec.rows[f.id]) || [];
          (Array.isArray(a[f.id]) ? a[f.id] : []).forEach((row, r) => {
            const texts = f.fields.filter((s) => words(s) && row[s.id]);
            const name = texts.length ? row[texts[0].id] : "";
            const notes = texts.slice(1).map((s) => `${s.label} ${row[s.id]}`);
            f.fields.filter((s) => s.calendar).forEach((s) => add(schema, s, row[s.id], `${f.id}.${ids[r] || r}`, name, notes));
          });
        } else if (f.calendar) {
          const before = schema.fields[i - 1];
          add(schema, f, a[f.id], "", before && words(before) ? a[before.id] || "" : "", []);
        }
      });
    }
    return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  }

  /* The .ics text of `list`, stamped now. */
  function ics(list, title) {
    const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//selfhelp-site//Plan dates//" + window.selfhelpLang().split("-")[0].toUpperCase(), "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + esc(title)];
    for (const e of list) {
      const start = new Date(e.date + "T00:00:00Z"), end = new Date(start.getTime() + 864e5);
      lines.push("BEGIN:VEVENT", "UID:" + e.uid, "DTSTAMP:" + now, "DTSTART;VALUE=DATE:" + compact(start), "DTEND;VALUE=DATE:" + compact(end),
        "SUMMARY:" + esc(e.summary), "DESCRIPTION:" + esc(e.notes), "TRANSP:TRANSPARENT",
        "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + esc(e.summary), "TRIGGER:-PT15H", "END:VALARM", "END:VEVENT");
    }
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  /* Save the dates of `entries` as <name>.ics; what to tell the reader. */
  function save(entries, name, title = document.title) {
    const list = events(entries);
    if (!list.length) return window.selfhelpT("calendar.none");
    lib.download(name + ".ics", ics(list, title), "text/calendar", true);
    return window.selfhelpT("calendar.saved", { count: list.length });
  }

  return { events, ics, save };
};
