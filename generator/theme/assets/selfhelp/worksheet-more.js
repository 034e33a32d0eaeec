/* What a reader needs now and then on a worksheet, for worksheets.js (read its header first): the confirm
 * panel and Undo, Clear, "your other version" (the losing side of a cell
 * edited in two tabs), another tab's save shown as it happens (and said on this tab's save), the reminder to export,
 * loading export and import (worksheet-files.js), exports as files,
 * calendar files and the saved answers My plan reads (answersOf), and My worksheets and the privacy page (with their toolbars;
 * a worksheet's toolbar is written in its page, worksheet-form.html).
 * worksheets.js loads this file the first time one of them is needed (and before worksheet-files.js,
 * plan.js and calendar.js, which use its helpers), so a worksheet's first visit loads less. Typing, saving,
 * showing saved answers, a group's rows and filling the paper copy stay in worksheets.js. Plain JavaScript.
 */
window.selfhelpWorksheetMore = (core) => {
  "use strict";
  // worksheets.js's helpers, in the order it hands them over (keep the two lists alike).
  const [h, isObj, empty, filled, same, when, today, toRec, readRaw, care, cared, KEY, PROBE,
    root, STORED, LOCKED, parse, blank, set, fieldOf, rowId, write, writable, save, show, broken, lock, dateText, data, say, showError,
    withFiles, remind, offerOldCopies, add, url, put, cells, newRow, setRow, placeRow, renumber, edited, labelOf] = core;
  const T = window.selfhelpT;
  const btn = (label, fn, cls = "") => h("button", { type: "button", class: "md-button shs-button " + cls, onclick: fn }, label);
  const OLD = `selfhelp:${root}:worksheet:`;

  const answered = (f, v) => (f.kind === "group" ? Array.isArray(v) && v.some(filled) : !empty(v));
  const count = (schema, a) => schema.fields.filter((f) => answered(f, a[f.id])).length;
  function ourKeys() {
    const s = localStorage, keys = [], pre = KEY.replace(/worksheet:$/, "");
    for (let i = 0; i < s.length; i++) if (s.key(i).startsWith(pre) || s.key(i).startsWith(OLD)) keys.push(s.key(i));
    return keys;
  }

  /* ---- checking answers against a worksheet's schema (import, carrying over an older record) ---- */
  const realDate = (v) => { const d = new Date(v); return /^\d{4}-\d\d-\d\d$/.test(v) && !isNaN(d) && d.toISOString().startsWith(v); };
  function bad(f, v) {
    switch (f.kind) {
      case "group":
        return !Array.isArray(v) || v.length > 500 || v.some((r) => !isObj(r) ||
          Object.keys(r).some((k) => { const s = f.fields.find((x) => x.id === k); return !s || bad(s, r[k]); }));
      case "checkbox": return typeof v !== "boolean";
      case "checklist": return !Array.isArray(v) || v.some((x) => !f.options.includes(x));
      case "choice": return !f.options.includes(v);
      case "scale": return !Number.isInteger(v) || v < f.min || v > f.max;
      case "date": return typeof v !== "string" || (v !== "" && !realDate(v));
      default: return typeof v !== "string";
    }
  }
  /* Set aside (m.r, kept in exports) the answers that no longer fit this version of the worksheet. */
  function fit(schema, m) {
    let moved = false;
    for (const c of Object.keys(m.v)) {
      const f = fieldOf(schema, c), [k, id] = c.split("/"), v = m.v[c];
      if (f && (id ? f.kind === "group" && !bad(f, [v]) : f.kind !== "group" && !bad(f, v))) continue;
      m.r = Object.assign({}, m.r, { [k]: id ? [].concat(Array.isArray(m.r && m.r[k]) ? m.r[k] : [], [v]) : v });
      delete m.v[c];
      delete m.e[c];
      moved = true;
    }
    return moved;
  }
  /* Answers saved before site ids, under the site's path (`from`): fitted to this version, merged in once, then removed. */
  function adopt(schema, from = OLD) {
    const old = from + schema.id, key = KEY + schema.id;
    if (old === key) return;
    try {
      const raw = readRaw(old);
      if (raw == null) return;
      const m = parse(raw, schema), cur = parse(readRaw(key), schema) || blank();
      if (m === LOCKED || cur === LOCKED) return;
      fit(schema, m);
      for (const c in m.v) put(cur, c, m.v[c], m.e[c], -1);
      if (m.r) cur.r = Object.assign({}, m.r, cur.r);
      if (write(key, toRec(cur, schema))) localStorage.removeItem(old);
    } catch (e) { /* storage unavailable: tried again next time */ }
  }
  /* Before a worksheet shows a record of an older version (or under the old key): it is carried over, the answers that
     no longer fit set aside, and written as this version's. Says so, if it was. A record of a newer version is left alone. */
  function migrate(ctl) {
    const { schema, key } = ctl;
    adopt(schema);
    try {
      const m = parse(readRaw(key), schema);
      if (!m || m === LOCKED || m.t > schema.version || !(fit(schema, m) | !(m.t >= schema.version) | m.f < STORED)) return;
      m.t = schema.version;
      if (write(key, toRec(m, schema))) return T("status.moved");
    } catch (e) { /* storage unavailable: load() says so */ }
  }

  /* ---- an answer as plain text (other versions, exports, import preview) ---- */
  function text(f, v) {
    if (f.kind === "checkbox") return T(v ? "answer.yes" : "answer.no");
    if (empty(v)) return "";
    if (f.kind === "group") return v.map((r, i) => `${i + 1}. ` + f.fields.map((s) => `${s.label}: ${text(s, r[s.id]) || "-"}`).join("; ")).join("\n");
    return Array.isArray(v) ? v.join(", ") : String(v);
  }

  /* A file the reader saves (an export unless `other`, which a calendar file is not). */
  function download(name, data, type, other) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = h("a", { href: url, download: name, hidden: "" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    if (other) return;
    cared({ exported: Date.now() });
    document.querySelectorAll(".shs-remind:not(.shs-remind--old-copy)").forEach((n) => n.remove());
  }
  /* An export, and a line in the status saying where it went (the browser may show nothing). */
  const exportAs = (host, name, entries, asText) => withFiles(host, (f) => {
    const file = `${name}-${today()}.${asText ? "md" : "json"}`;
    download(file, asText ? f.markdown(entries()) : f.exportJson(entries()), asText ? "text/markdown" : "application/json");
    say(host, T("export.saved", { file }));
  });

  /* A worksheet's own answers: as typed (`current`, what Clear and an import preview count), and its exports and calendar file. */
  const current = (host, schema) => (host.form ? toRec({ v: cells(host.form), e: {} }, host.schema).answers : host.current(schema));
  // A worksheet's record as stored now (none when there is none or it is locked).
  const stored = (ctl) => { try { const m = parse(readRaw(ctl.key), ctl.schema); return m === LOCKED ? null : m; } catch (e) { return null; } };
  const formEntries = (ctl) => () => [{ schema: ctl.schema, m: Object.assign(stored(ctl) || blank(), { v: cells(ctl.form) }) }];
  const exportForm = (ctl) => exportAs(ctl, `${ctl.schema.id}-answers`, formEntries(ctl));
  const exportFormText = (ctl) => exportAs(ctl, `${ctl.schema.id}-answers`, formEntries(ctl), true);
  const calendarForm = (ctl) => toCalendar(ctl, [{ schema: ctl.schema, rec: toRec({ v: cells(ctl.form), e: {} }, ctl.schema) }], ctl.schema.id + "-dates");

  /* Show what is stored now: a worksheet's answers (edits not saved yet dropped), or a page's (My worksheets, privacy, My plan). */
  const refresh = (host) => (host.form ? ((host.dirty = {}), host.locked || show(host, stored(host) || blank())) : host.refresh());
  /* After a change to stored answers (import, clear, delete all): say so and offer Undo, which puts the records back. */
  function done(host, msg, before) {
    refresh(host);
    notice(host, msg, () => {
      for (const [k, raw] of before) write(k, raw);
      refresh(host);
      say(host, T("undo.done"));
    });
  }
  function notice(host, msg, undo, after) {
    say(host, msg);
    const old = (after ? after.parentNode : host.notes).querySelector(":scope > .shs-notice");
    if (old) old.remove();
    const n = h("p", { class: "shs-notice" }, msg + " ", btn(T("button.undo"), () => { n.remove(); undo(); }, "shs-button--quiet"));
    after ? after.after(n) : host.notes.append(n);
  }
  function closePanel(host, back) {
    host.panel.hidden = true;
    host.panel.textContent = "";
    if (back && back.isConnected) back.focus();
  }
  function ask(host, question, yes, onYes, extra = [], danger) {
    const back = document.activeElement, q = h("p", { class: "shs-panel__question", tabindex: "-1" }, question);
    host.panel.replaceChildren(q, ...extra, h("div", { class: "shs-panel__buttons" },
      btn(yes, () => { closePanel(host, back); onYes(); }, danger ? "shs-button--danger shs-button--strong" : "md-button--primary"), btn(T("button.cancel"), () => closePanel(host, back))));
    host.panel.onkeydown = (e) => { if (e.key === "Escape") closePanel(host, back); };
    host.panel.hidden = false;
    q.focus();
  }

  /* A row the reader removed (worksheets.js saved without it): Undo puts it back where it was, with its answers. */
  const rowRemoved = (ctl, group, row, value, add) => notice(ctl, T("row.removed"), () => {
    const back = newRow(group, row.dataset.shsRowId);
    setRow(back, value);
    placeRow(group, back);
    renumber(group);
    back.querySelector("input,textarea").focus();
    edited(ctl, back, true);
  }, add);

  /* Clear answers: the question says what would be lost (the worksheet, how many answers); Undo puts them back. */
  function clear(ctl) {
    const n = count(ctl.schema, current(ctl)), title = T("quote", { text: ctl.schema.title });
    if (!n) return say(ctl, T("clear.nothing", { title }));
    ask(ctl, T("clear.question", { count: n, title }), T("button.clear"), () => {
      let before;
      save(ctl);
      try { before = [[ctl.key, readRaw(ctl.key)]]; } catch (e) { before = []; }
      if (!ctl.locked && !write(ctl.key, null)) broken(ctl);
      ctl.locked ? (ctl.dirty = {}, show(ctl, blank())) : done(ctl, T("clear.done"), before);
    }, [], true);
  }

  /* "Your other version": the losing side of a cell edited in two tabs, with Use and Dismiss. */
  function showOthers(ctl, m) {
    ctl.form.querySelectorAll(".shs-other").forEach((n) => n.remove());
    for (const [c, o] of Object.entries(m.o)) {
      const f = fieldOf(ctl.schema, c), id = c.split("/")[1];
      const el = f && isObj(o) && (!id || isObj(o.value)) && ctl.form.querySelector(id ? `[data-shs-row-id="${CSS.escape(id)}"]` : `[data-shs-field="${f.id}"]`);
      if (!el) continue;
      const t = id ? text(f, [o.value]).replace(/^1\. /, "") : text(f, o.value);
      el.append(h("div", { class: "shs-other", role: "group", "aria-label": T("other.label") },
        h("p", {}, when(o.at) ? T("other.intro_on", { when: when(o.at) }) : T("other.intro")),
        h("p", { class: "shs-other__text" }, t || T("other.no_answer")),
        btn(T("other.use"), () => other(ctl, c, true)), btn(T("button.dismiss"), () => other(ctl, c, false), "shs-button--quiet")));
    }
  }
  /* Use (swap in, keeping the replaced answer as the other version) or dismiss an other version; Undo puts it back. */
  function other(ctl, c, use) {
    save(ctl);
    let raw;
    try { raw = readRaw(ctl.key); } catch (e) { return broken(ctl); }
    const m = parse(raw, ctl.schema);
    if (!m || m === LOCKED || !m.o[c]) return;
    const o = m.o[c], prev = [m.v[c], m.e[c]];
    delete m.o[c];
    if (use) {
      set(m, c, o.value, Date.now());
      if (filled(prev[0])) m.o[c] = { value: prev[0], at: prev[1] };
    }
    if (!write(ctl.key, toRec(m, ctl.schema))) return broken(ctl);
    const [g, id] = c.split("/");
    document.activeElement.blur(); // the button is inside the field: it is not being edited
    done(ctl, T(use ? "other.used" : "other.dismissed"), [[ctl.key, raw]]);
    ((id && ctl.form.querySelector(`[data-shs-row-id="${CSS.escape(id)}"]`)) || ctl.form.querySelector(`[data-shs-field="${g}"]`)).querySelector("input,textarea").focus();
  }

  /* The reminder to export (worksheets.js decides when it is due): shown unless the browser keeps the answers. */
  function remindLine(host) {
    const s = navigator.storage;
    const line = (kept) => kept || host.el.querySelector(".shs-remind") || host.notes.before(h("p", { class: "shs-remind" }, T("remind.export") + " ",
      btn(T("button.export"), host.exportJson, "shs-button--quiet"), btn(T("button.dismiss"), (e) => { cared({ hidden: Date.now() }); e.target.parentNode.remove(); }, "shs-button--quiet")));
    s && s.persisted ? s.persisted().then(line, () => line(false)) : line(false);
  }

  /* On file://, older versions kept answers under the folder they were opened from: a copy
     unzipped elsewhere finds them here, and offers them (worksheet-files.js) unless the reader said "Not mine". */
  function oldCopies(host, schemas) {
    const folders = new Set(), notMine = care().notMine || [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const [, folder, id] = /^selfhelp:(\/.*\/):worksheet:(.+)$/.exec(localStorage.key(i)) || [];
        if (folder && folder !== root && !notMine.includes(folder) && schemas.some((s) => s.id === id)) folders.add(folder);
      }
    } catch (e) { return; }
    if (folders.size) withFiles(host, (f) => f.offerOldCopies(host, schemas, [...folders]));
  }

  /* ---- "My worksheets" and the privacy page: `host` ({el}) is filled in here ---- */
  /* Their toolbar (a worksheet's is in its page, worksheet-form.html), with the status, notices and confirm panel.
     Buttons marked destructive go last, apart from the others, in their own style. */
  function frame(host, status, label, buttons) {
    const bar = h("div", { class: "shs-toolbar", role: "group", "aria-label": label }), apart = h("div", { class: "shs-toolbar__apart" });
    Object.assign(host, { status, bar, notes: h("div", { class: "shs-notes" }), panel: h("div", { class: "shs-panel", hidden: "" }) });
    for (const [text, fn, danger] of buttons) (danger ? apart : bar).append(btn(text, fn, danger ? "shs-button--danger" : ""));
    if (apart.firstChild) bar.append(apart);
    if (host.schemas) {
      // Import: worksheet-files.js checks the file chosen and previews it (emptied at once, so the same file can be chosen again).
      const file = h("input", { type: "file", accept: ".json,application/json", hidden: "", "aria-label": T("import.file_label"), class: "shs-toolbar__file",
        onchange: () => { const f = file.files[0]; file.value = ""; withFiles(host, (x) => x.pick(host, f)); } });
      bar.append(file);
      bar.insertBefore(btn(T("button.import"), () => file.click()), bar.children[2]);
    }
    for (const e of ["pointerover", "focusin"]) bar.addEventListener(e, () => withFiles(host, () => {}, true), { once: true }); // ready before a click
  }
  function bindIndex(host, privacy) {
    const el = host.el, schemas = data(el, ".shs-worksheet-index__schemas");
    host.schemas = privacy ? null : schemas;
    schemas.forEach((s) => adopt(s));
    const read = (schema) => { try { const m = parse(readRaw(KEY + schema.id), schema); if (m && m !== LOCKED) fit(schema, m); return m; } catch (e) { return null; } };
    const entries = () => schemas.map((schema) => ({ schema, m: read(schema) })).filter((e) => e.m && e.m !== LOCKED);
    host.exportJson = () => exportAs(host, "worksheet-answers", entries);
    host.current = (schema) => { const m = read(schema); return m && m !== LOCKED ? toRec(m, schema).answers : {}; };
    host.refresh = () => {
      for (const item of el.querySelectorAll("[data-shs-worksheet-id]")) {
        const out = item.querySelector("[data-shs-progress]"), schema = schemas.find((s) => s.id === item.dataset.shsWorksheetId);
        if (!out || !schema) continue;
        const bar = item.querySelector("progress") || h("progress", { class: "shs-worksheet-index__bar", "aria-labelledby": out.id });
        if (!bar.isConnected) out.before(bar);
        const m = read(schema), n = m && m !== LOCKED ? count(schema, toRec(m, schema).answers) : 0;
        out.textContent = m === LOCKED ? T("progress.newer") : n ? T("progress.answered", { count: n, total: schema.fields.length, when: when(m.s) }) : T("progress.not_started");
        bar.max = schema.fields.length;
        bar.value = n;
      }
    };
    const buttons = [
      [T("button.export_all"), host.exportJson],
      [T("button.export_all_text"), () => exportAs(host, "worksheet-answers", entries, true)],
    ];
    if (privacy) {
      buttons.push([T("button.delete_all"), () => ask(host, T("delete_all.question"), T("button.delete_all"), () => {
        let before = [];
        try { before = ourKeys().map((k) => [k, readRaw(k)]); } catch (e) { return broken(host); }
        if (!before.every(([k]) => write(k, null))) broken(host);
        done(host, T("delete_all.done"), before);
      }, [], true), true]);
    }
    const status = h("p", { class: "shs-worksheet__status", role: "status", "aria-live": "polite" });
    el.prepend(status);
    frame(host, status, T(privacy ? "toolbar.privacy" : "toolbar.index"), buttons);
    status.before(host.bar);
    status.after(host.notes, host.panel);
    try { readRaw(PROBE); if (!writable()) broken(host); } catch (e) { broken(host); }
    host.refresh();
    remind(host);
    offerOldCopies(host, schemas);
  }

  /* ---- My plan: plan.js writes the reader's answers into the page, and again when another tab saves ---- */
  function bindPage(host) {
    const el = host.el;
    if (!el.matches("[data-shs-plan]")) return bindIndex(host, el.matches("[data-shs-privacy-actions]"));
    lazy("plan.js", "selfhelpPlan", (plan) => { host.refresh = () => plan.show(el); host.refresh(); },
      () => el.prepend(h("p", { class: "shs-error", role: "alert" }, T("error.plan_not_loaded"))));
  }

  /* ---- another tab saved (or cleared) this worksheet ---- */
  function remote(ctl, raw) {
    if (ctl.locked) return;
    const m = parse(raw, ctl.schema);
    if (m === LOCKED) return lock(ctl);
    const [changed, held] = show(ctl, m || blank()), n = changed.length;
    const msg = [m ? (n === 1 ? T("tabs.changed_one", { label: changed[0] }) : n ? T("tabs.changed", { count: n }) : "") : T("tabs.cleared"),
      held.length && T("tabs.held", { label: held[0] })].filter(Boolean).join(" ");
    if (msg) say(ctl, msg);
  }

  /* Added to a save's status (`at`, if still shown): what another tab added (`changed`), an edit of this tab that another
     tab's newer one set aside (shown as the other version), and a field held back while the reader is in it. */
  function tabsSaid(ctl, at, changed, lost, kept) {
    const label = lost.length && labelOf(ctl.form.querySelector(`[data-shs-field="${lost[0].split("/")[0]}"]`));
    if (ctl.status.textContent === at) {
      say(ctl, [at, label && T("tabs.lost", { label }), changed.length && T("tabs.added", { labels: changed.map((l) => T("quote", { text: l })).join(", ") }),
        kept.length && T("tabs.kept", { label: kept[0] })].filter(Boolean).join(" "));
    }
  }

  /* ---- what My plan and calendar files read ----
     A worksheet's saved answers as a record ({answers, rows, savedAt, ...}), null when there are none or they
     cannot be read here. */
  function answersOf(schema) {
    adopt(schema);
    try { const m = parse(readRaw(KEY + schema.id), schema); return !m || m === LOCKED ? null : (fit(schema, m), toRec(m, schema)); } catch (e) { return null; }
  }
  /* The dates of `entries` ([{schema, rec, only}]) as an .ics file the reader saves: made here, sent nowhere. */
  const toCalendar = (host, entries, name) => lazy("calendar.js", "selfhelpCalendar", (c) => say(host, c.save(entries, name)),
    () => say(host, T("error.calendar_not_loaded")));

  /* Export and import (worksheet-files.js); `quiet` when the reader did not ask for them (nothing said if they fail to load). */
  const files = (host, use, quiet) => lazy("worksheet-files.js", "selfhelpWorksheetFiles", use, () => quiet || showError(host, T("error.files_not_loaded")));

  /* The other files, each a factory handed `lib` and run once, loaded on first need (a failed load is tried again when next needed). */
  const got = {};
  const lazy = (file, factory, use, fail) => (got[file] = got[file] || add("script", { src: url(file) })
    .then(() => window[factory](lib), (e) => { delete got[file]; throw e; })).then(use, fail);

  // What worksheets.js calls, and `lib`, what worksheet-files.js, plan.js and calendar.js are handed: helpers by name.
  const lib = { lazy, NEWER: T("banner.newer"), h, btn, isObj, empty, filled, same, when, toRec, readRaw, care, cared, KEY, STORED, LOCKED, parse, blank, set, fieldOf, rowId, write, save,
    show, broken, showError, dateText, answered, count, bad, fit, adopt, migrate, current, exportForm, exportFormText, calendarForm, rowRemoved, text,
    download, exportAs, done, notice, ask, clear, showOthers, other, remindLine, oldCopies, bindPage, remote, tabsSaid, answersOf, toCalendar, files, refresh };
  return lib;
};
