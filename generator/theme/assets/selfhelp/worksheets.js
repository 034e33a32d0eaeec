/* Worksheets in the browser. Plain JavaScript: no framework, no build step, no network.
 *
 * - Answers autosave to localStorage under "selfhelp:<site id>:worksheet:<id>". The build writes the
 *   site id into every page (<meta name="selfhelp-site">), so a copy of the site finds its answers
 *   wherever it is unzipped, and two organisations' copies never share them. A record is
 *   {format: 2, worksheet, templateVersion, savedAt, answers, rows, edited, others[, retired]}:
 *   `answers` as in an export file; `rows` the stable id of each row of each group; `edited` when
 *   each cell (a field, or a row as "group/row id") was last edited, kept when it is emptied;
 *   `others` the losing side of a cell edited in two tabs, offered back as "your other version".
 * - A tab writes only the cells it edited, merged into the record as stored at that moment: a cell
 *   changed elsewhere since this tab last saw it keeps the newest edit (put()). Records under the
 *   old key ("selfhelp:<site root path>:...") are merged in once and removed (adopt()).
 * - Every write is read back; a failed one shows a banner and offers Export.
 * - Answers are only ever put back as .value, .checked or .textContent, never as HTML.
 * - Material's instant navigation swaps pages without reloading: init() runs on every
 *   `document$` emission and binds each form, index and privacy block once.
 * - The first save asks the browser to keep storage (navigator.storage.persist()); where it does
 *   not and the reader has never exported, a dismissible line suggests Export after a few days.
 * - Print: the paper copy after each form (paper.html) gets the answers on every save (sync()).
 * - My plan (plan.js) and calendar files (calendar.js) read saved answers only through answersOf() (worksheet-more.js).
 * - This file holds what must run at once: restoring saved answers on load, saving from the first keystroke
 *   (merged with what another tab saved meanwhile), adding and removing a group's rows, and the paper copy (a browser may
 *   print without waiting). What a reader needs only now and then comes from worksheet-more.js, loaded on first
 *   need (lazy()): among it, showing another tab's save as it happens (on the first `storage` event for this
 *   worksheet), the status's words on what another tab changed when this one saves (tabsSaid), a removed row's
 *   Undo, and what My plan and calendar files read (answersOf).
 */
(() => {
  "use strict";
  const STORED = 2, RESERVED = ["__proto__", "constructor", "prototype"];
  const here = (document.currentScript || document.querySelector("script[data-shs-worksheets]")).src;
  // Material's __md_scope (every page of Material has it) is the site root, fixed when the first page loaded. This script
  // may load later (site.js, after instant navigation), when `location` is another page's.
  const root = window.__md_scope.pathname.replace(/\/?$/, "/");
  const site = document.querySelector("meta[name=selfhelp-site]");
  const PRE = `selfhelp:${(site && site.content) || root}:`, KEY = PRE + "worksheet:", OLD = `selfhelp:${root}:worksheet:`;
  const PROBE = PRE + "probe", CARE = PRE + "backup";
  /* Every word shown is a message this script carries (the build puts them at its top), in the site's language. */
  const T = window.selfhelpT, LANG = window.selfhelpLang();
  const NOT_KEPT = T("banner.not_kept");
  let live = [], seq = 0;

  /* ---- small helpers ---- */
  const h = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    for (const k in props || {}) k.startsWith("on") ? e.addEventListener(k.slice(2), props[k]) : e.setAttribute(k, props[k]);
    e.append(...kids);
    return e;
  };
  /* Schema JSON sits in a <script type="application/json"> inside an inert <template>. */
  const data = (el, sel) => JSON.parse([...el.querySelectorAll("template")].map((t) => t.content.querySelector(sel)).find(Boolean).textContent);
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const empty = (v) => v == null || v === "" || v === false || (Array.isArray(v) && !v.length);
  const filled = (v) => !empty(v) && !(isObj(v) && !Object.keys(v).length);
  const canon = (v) => JSON.stringify(empty(v) ? null : v, (k, x) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
  const same = (a, b) => canon(a) === canon(b);
  const when = (s) => { const d = new Date(s); return isNaN(d) ? "" : d.toLocaleString(LANG, { dateStyle: "medium", timeStyle: "short" }); };
  const today = () => new Date().toISOString().slice(0, 10);
  const fieldOf = (schema, cell) => schema.fields.find((f) => f.id === cell.split("/")[0]);
  // Row ids sort in the order rows were added: time, then a counter, then a random tail for other tabs.
  const rowId = () => Date.now().toString(36).padStart(9, "0") + (seq++ % 1296).toString(36).padStart(2, "0") + Math.random().toString(36).slice(2, 6);

  /* ---- storage: every call may throw (SecurityError, QuotaExceededError) ---- */
  const readRaw = (key) => localStorage.getItem(key); // throws when storage is unavailable
  function write(key, value) {
    try {
      const s = localStorage, raw = value == null || typeof value === "string" ? value : JSON.stringify(value);
      raw == null ? s.removeItem(key) : s.setItem(key, raw);
      return s.getItem(key) === raw;
    } catch (e) { return false; }
  }
  const writable = () => write(PROBE, "1") && write(PROBE, null);

  /* ---- records in memory: m.v is the answer of each cell, m.e when it was edited (ms), m.o other versions ---- */
  const LOCKED = {}; // a record made by a newer version, or unreadable: never touched
  const blank = () => ({ v: {}, e: {}, o: {} });
  function parse(raw, schema) {
    if (raw == null) return null;
    let r;
    try { r = JSON.parse(raw); } catch (e) { return LOCKED; }
    if (!isObj(r) || !isObj(r.answers) || !(r.format <= STORED)) return LOCKED;
    const obj = (v) => (isObj(v) ? v : {});
    const m = { v: {}, e: obj(r.edited), o: obj(r.others), r: isObj(r.retired) ? r.retired : null, t: r.templateVersion, s: r.savedAt, f: r.format };
    const at = Date.parse(r.savedAt) || 1, rows = obj(r.rows);
    const take = (c, v) => { m.v[c] = v; if (!(m.e[c] > 0)) m.e[c] = at; };
    for (const [k, a] of Object.entries(r.answers)) {
      if (RESERVED.includes(k)) continue;
      const f = fieldOf(schema, k), ids = Array.isArray(rows[k]) && Array.isArray(a) && rows[k].length === a.length ? rows[k] : [];
      if (f && f.kind === "group" && Array.isArray(a) && a.every(isObj)) a.forEach((row, i) => take(k + "/" + (/^[\w-]+$/.test(ids[i]) ? ids[i] : rowId()), row));
      else take(k, a);
    }
    return m;
  }
  function toRec(m, schema) {
    const answers = {}, rows = {};
    for (const c of Object.keys(m.v).sort()) {
      const [k, id] = c.split("/");
      if (id) { (answers[k] = answers[k] || []).push(m.v[c]); (rows[k] = rows[k] || []).push(id); } else if (!empty(m.v[c])) answers[k] = m.v[c];
    }
    return {
      format: STORED, worksheet: schema.id, templateVersion: "t" in m ? m.t : schema.version,
      savedAt: new Date(Math.max(0, ...Object.values(m.e).filter(Number.isFinite)) || Date.now()).toISOString(), answers, rows, edited: m.e, others: m.o,
      retired: m.r || undefined, // none: left out of the JSON
    };
  }
  function set(m, c, v, at) {
    v === undefined || (!c.includes("/") && empty(v)) ? delete m.v[c] : (m.v[c] = v);
    m.e[c] = at;
  }
  /* Write cell c, edited at `at` by a tab that last saw it as edited at `seen`. If it was edited
     elsewhere since, the newest edit wins and the other is kept in m.o. False if the stored one won. */
  function put(m, c, v, at, seen) {
    const theirs = m.v[c], their = m.e[c] || 0;
    if (their === seen || same(v, theirs)) return set(m, c, v, at), true;
    const win = at >= their, [value, time] = win ? [theirs, their] : [v, at];
    if (filled(value)) m.o[c] = { value, at: time };
    if (win) set(m, c, v, at);
    return win;
  }
  /* On file://, answers an older copy of the site left under another folder (worksheet-more.js). */
  const offerOldCopies = (host, schemas) => location.protocol === "file:" && later(host, "oldCopies", schemas);

  /* ---- reading and writing the form: one cell per field, and one per row of a group ---- */
  const fieldsOf = (scope, inRow) => [...scope.querySelectorAll("[data-shs-field]")].filter((e) => inRow || !e.closest("[data-shs-row]"));
  const inputs = (el) => [...el.querySelectorAll("input,textarea")];
  const rowsOf = (group) => [...group.querySelector("[data-shs-rows]").children];
  const labelOf = (el) => el.querySelector(".shs-field__label").textContent.trim();

  function getValue(el) {
    const kind = el.dataset.shsKind, all = inputs(el);
    if (kind === "group") return rowsOf(el).map(rowValue);
    if (kind === "checkbox") return all[0].checked;
    if (kind === "checklist") return all.filter((i) => i.checked).map((i) => i.value);
    if (kind === "choice" || kind === "scale") {
      const c = all.find((i) => i.checked);
      return c ? (kind === "scale" ? Number(c.value) : c.value) : null;
    }
    return all[0].value;
  }
  function setValue(el, v) {
    const kind = el.dataset.shsKind, all = inputs(el);
    if (kind === "checkbox") all[0].checked = v === true;
    else if (kind === "checklist") all.forEach((i) => { i.checked = Array.isArray(v) && v.includes(i.value); });
    else if (kind === "choice" || kind === "scale") all.forEach((i) => { i.checked = v != null && i.value === String(v); });
    else all[0].value = typeof v === "string" ? v : "";
  }
  const setRow = (row, v) => fieldsOf(row, 1).forEach((f) => setValue(f, isObj(v) ? v[f.dataset.shsField] : null));
  /* The answers of a form (a row's as one cell: rowValue), or of a row (`inRow`, a group has none). */
  function cells(scope, inRow) {
    const out = {};
    for (const el of fieldsOf(scope, inRow)) {
      const id = el.dataset.shsField;
      if (el.dataset.shsKind === "group") for (const row of rowsOf(el)) out[id + "/" + row.dataset.shsRowId] = rowValue(row);
      else { const v = getValue(el); if (!empty(v)) out[id] = v; }
    }
    return out;
  }
  const rowValue = (row) => cells(row, 1);
  function cellOf(target) {
    const row = target.closest("[data-shs-row]"), f = target.closest("[data-shs-field]");
    return row ? row.closest("[data-shs-kind=group]").dataset.shsField + "/" + row.dataset.shsRowId : f && f.dataset.shsField;
  }

  /* A row's ids and radio names carry its number; until numbered, its id (radios of two rows must never share a name). */
  const name = (row, n) => { for (const e of row.querySelectorAll("*")) for (const [a, v] of e.shsTemplate || []) e.setAttribute(a, v.replace(/__ROW__/g, n)); };
  function newRow(group, id) {
    const row = group.querySelector("template").content.firstElementChild.cloneNode(true);
    for (const e of row.querySelectorAll("*")) {
      e.shsTemplate = [...e.attributes].filter((a) => a.value.includes("__ROW__")).map((a) => [a.name, a.value]); // id, for, name, aria-describedby
    }
    row.dataset.shsRowId = id;
    name(row, id);
    return row;
  }
  function placeRow(group, row) {
    const list = group.querySelector("[data-shs-rows]"), next = rowsOf(group).find((r) => r !== row && r.dataset.shsRowId > row.dataset.shsRowId) || null;
    if (row.parentNode !== list || row.nextElementSibling !== next) list.insertBefore(row, next);
  }
  function renumber(group) {
    const rows = rowsOf(group);
    rows.forEach((row) => name(row, row.dataset.shsRowId)); // first apart, so no radio meets another row's name
    rows.forEach((row, i) => {
      name(row, i + 1);
      row.querySelectorAll("[data-shs-row-number]").forEach((s) => { s.textContent = i + 1; });
    });
  }

  /* Print: the paper copy after the form (paper.html) shows the answers as text, ticks and circled numbers, a
     group's rows then its remaining blank ones, and when they were saved. Kept current on every save, as a
     browser may print without a beforeprint event. */
  const dateText = (v, style = { dateStyle: "medium" }) => new Date(v + "T00:00").toLocaleDateString(LANG, style);
  function fillSlot(slot, v) {
    const on = [].concat(v == null ? [] : v).map(String), t = slot.querySelector(".shs-p-text");
    slot.querySelectorAll("[data-shs-value]").forEach((o) => o.classList.toggle("shs-p--on", on.includes(o.dataset.shsValue)));
    if (slot.dataset.shsKind === "checkbox") slot.classList.toggle("shs-p--on", v === true);
    if (t) slot.classList.toggle("shs-p--filled", !!(t.textContent = typeof v === "string" && v ? (slot.dataset.shsKind === "date" ? dateText(v) : v) : ""));
  }
  function sync(form) {
    const paper = document.querySelector(`[data-shs-paper="${form.dataset.shsWorksheet}"]`);
    let any = false, at;
    if (!paper) return;
    for (const el of fieldsOf(form)) {
      const v = getValue(el), slot = paper.querySelector(`[data-shs-slot="${el.dataset.shsField}"]`);
      if (!slot) continue;
      if (el.dataset.shsKind !== "group") { fillSlot(slot, v); any = any || !empty(v); continue; }
      const rows = v.filter(filled), list = slot.matches("[data-shs-paper-rows]") ? slot : slot.querySelector("[data-shs-paper-rows]");
      list.shsBlank = list.shsBlank || [list.children.length, list.firstElementChild.cloneNode(true)];
      list.replaceChildren(...Array.from({ length: Math.max(rows.length, list.shsBlank[0]) }, (_, i) => {
        const row = list.shsBlank[1].cloneNode(true);
        row.querySelector("[data-shs-paper-num]").textContent = i + 1;
        row.querySelectorAll("[data-shs-slot]").forEach((c) => fillSlot(c, rows[i] && rows[i][c.dataset.shsSlot]));
        return row;
      }));
      any = any || rows.length > 0;
    }
    try { at = JSON.parse(readRaw(KEY + form.dataset.shsWorksheet)).savedAt; } catch (e) { /* not saved here */ }
    const saved = paper.querySelector("[data-shs-paper-saved]");
    saved.replaceChildren(...(any ? [h("span", { class: "shs-p-meta__key" }, T(at ? "paper.saved_on" : "paper.printed_on")), " " + when(at || Date.now())] : []));
    saved.parentNode.classList.toggle("shs-p--filled", any);
  }

  /* Code a reader needs only now and then lives in worksheet-more.js (with its styles, worksheet-more.css), a factory
     handed this file's helpers, loaded once when first needed: the confirm panel, Undo, Clear, other versions, the
     reminder, carrying older records over, My worksheets and the privacy page (and their toolbars); it loads the other files on first need
     (lazy()): export and import (worksheet-files.js), My plan (plan.js), calendar files (calendar.js). It waits for its
     styles too, so nothing it shows appears unstyled (if they fail, it goes on); a failed load is tried again when next
     needed. What the reader asked for says so when it cannot be loaded; what comes by itself (other versions, the
     reminder, Undo after removing a row: later()) is left out then, never taking the focus from a field being typed in. */
  let more;
  const url = (file) => new URL(file, here).href;
  const add = (tag, props) => new Promise((ok, no) => document.head.append(h(tag, Object.assign(props, { onload: ok, onerror: no }))));
  // A stylesheet, unless the page has it; a promise (kept, even if it fails to load) when it is added.
  const style = (file, media = "all") => document.querySelector(`link[href$="/${file}"]`) || add("link", { rel: "stylesheet", href: url(file), media }).catch(() => {});
  const withMore = (host, use, fail = () => showError(host, T("error.not_loaded"))) => (more = more || Promise.all([add("script", { src: url("worksheet-more.js") }), style("worksheet-more.css")])
    // It takes this file's helpers in this order (its first line names them, in the same order).
    .then(() => window.selfhelpWorksheetMore([h, isObj, empty, filled, same, when, today, toRec, readRaw, care, cared, KEY, PROBE,
      root, STORED, LOCKED, parse, blank, set, fieldOf, rowId, write, writable, save, show, broken, lock, dateText, data, say, showError,
      withFiles, remind, offerOldCopies, add, url, put, cells, newRow, setRow, placeRow, renumber, edited, labelOf]), (e) => { more = null; throw e; }))
    .then(use, fail);
  const later = (host, name, ...args) => withMore(host, (x) => x[name](host, ...args), () => {});
  // Export and import (worksheet-files.js), loaded by worksheet-more.js; `quiet` when the reader did not ask (nothing said if it fails).
  const withFiles = (host, use, quiet) => withMore(host, (x) => x.files(host, use, quiet), quiet ? () => {} : undefined);

  /* ---- status, banners, errors (worksheet-more.js: the confirm panel, undo notices) ---- */
  const say = (host, msg) => { if (host.status.textContent !== msg) host.status.textContent = msg; };
  function banner(host, kind, msg) {
    const old = host.el.querySelector(`.shs-banner--${kind}`);
    if (!msg) return old && old.remove();
    if (!old) host.notes.before(h("div", { class: `shs-banner shs-banner--${kind}`, role: "alert" }, h("p", {}, msg),
      h("button", { type: "button", class: "md-button shs-button", onclick: host.exportJson }, T("button.export"))));
  }
  function showError(host, msg) {
    const p = h("p", { class: "shs-error", role: "alert", tabindex: "-1" }, msg);
    host.panel.replaceChildren(p);
    host.panel.onkeydown = null;
    host.panel.hidden = false;
    p.focus();
  }
  /* ---- keeping answers: ask the browser to keep them; where it won't, suggest Export (once dismissed, never again) ---- */
  const care = () => { try { return JSON.parse(readRaw(CARE)) || {}; } catch (e) { return {}; } };
  const cared = (change) => write(CARE, Object.assign(care(), change));
  function saved() {
    const c = care(), day = today();
    if (c.day === day) return;
    cared({ day, days: (c.days || 0) + 1, asked: true });
    const s = navigator.storage;
    if (!c.asked && s && s.persist) s.persist().then((kept) => cared({ kept }), () => {});
  }
  function remind(host) {
    const c = care();
    if (!c.exported && !c.hidden && c.days >= 3) later(host, "remindLine"); // after 3 days of use
  }

  /* ---- a worksheet form ---- */
  function bindForm(form) {
    const schema = data(form, ".shs-worksheet__schema"), key = KEY + schema.id;
    // Locked until its answers are shown: what is typed meanwhile is kept as an edit and saved then.
    const ctl = { el: form, form, schema, schemas: [schema], key, seen: {}, dirty: {}, locked: true };
    const more = (name) => () => withMore(ctl, (x) => x[name](ctl));
    ctl.exportJson = more("exportForm");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("input", (e) => edited(ctl, e.target, false));
    // Only `input` marks an edit: a text field's `change` comes when it is left, later than the typing.
    form.addEventListener("change", () => { if (pending(ctl)) save(ctl); });
    // Leaving a field saves it; a field held back while the reader was in it now shows what another tab saved (worksheet-more.js).
    form.addEventListener("focusout", () => { if (pending(ctl)) save(ctl); else if (ctl.held) later(ctl, "refresh"); });
    form.addEventListener("click", (e) => {
      const b = e.target.closest("[data-shs-action]");
      if (!b) return;
      const group = b.closest("[data-shs-kind=group]"), add = group.querySelector("[data-shs-action=add-row]");
      if (b === add) {
        const row = newRow(group, rowId());
        placeRow(group, row);
        renumber(group);
        row.querySelector("input,textarea").focus();
        edited(ctl, row, true);
      } else {
        const row = b.closest("[data-shs-row]"), value = rowValue(row);
        add.focus(); // first: removing the focused button would blur it, and leaving a field saves
        edited(ctl, row, false);
        row.remove();
        renumber(group);
        save(ctl);
        later(ctl, "rowRemoved", group, row, value, add);
      }
    });
    const go = (moved) => {
      /* The toolbar, notices and confirm panel, from the page's <template> (worksheet-form.html): a button's data-shs-do
         is what it does, Print and Import here, the others in worksheet-more.js (Export, Export as text, the calendar
         file with calendar.js, Clear). Import: worksheet-files.js checks the file chosen and previews it (emptied at
         once, so the same file can be chosen again). */
      const tools = form.querySelector("[data-shs-tools]");
      tools.append(tools.querySelector("template").content.cloneNode(true));
      const [, bar, notes, panel] = tools.children, file = bar.querySelector("input");
      Object.assign(ctl, { status: form.querySelector(".shs-worksheet__status"), notes, panel });
      file.onchange = () => { const f = file.files[0]; file.value = ""; withFiles(ctl, (x) => x.pick(ctl, f)); };
      bar.onclick = (e) => { const n = e.target.dataset.shsDo; n === "print" ? (sync(form), print()) : n === "import" ? file.click() : n && more(n)(); };
      for (const e of ["pointerover", "focusin"]) bar.addEventListener(e, () => withFiles(ctl, () => {}, true), { once: true }); // ready before a click
      ctl.locked = false;
      load(ctl, moved);
      remind(ctl);
      offerOldCopies(ctl, [schema]);
    };
    /* A record of an older version of the worksheet, or under the old key, is carried over first by worksheet-more.js
       (answers that no longer fit are set aside, kept in exports, never deleted); if it cannot load, it is shown as it is. */
    let m, old;
    try { m = parse(readRaw(key), schema); old = OLD !== KEY && readRaw(OLD + schema.id) != null; } catch (e) { /* load() says so */ }
    old || (m && m !== LOCKED && !(m.t >= schema.version && m.f >= STORED)) ? withMore(ctl, (x) => go(x.migrate(ctl)), () => go()) : go();
    // Instant navigation may have brought this page in without it (a worksheet page's worksheet-page.css holds it).
    document.querySelector('link[href$="/worksheet-page.css"]') || style("worksheet-print.css", "print");
    return ctl;
  }

  const pending = (ctl) => Object.keys(ctl.dirty).length;
  function edited(ctl, target, now) {
    const c = cellOf(target);
    if (!c || !ctl.form.contains(target)) return;
    ctl.dirty[c] = Date.now();
    clearTimeout(ctl.timer);
    ctl.timer = now ? save(ctl) : setTimeout(() => save(ctl), 300);
  }

  /* Show a record in the form. A cell with unsaved edits, or that the reader is in, is held back (not
     changed, and never written unless the reader edits it). Returns the labels changed and held. */
  function show(ctl, m) {
    const changed = new Set(), held = new Set();
    // `el` is where the reader would be editing the cell (none for a row this tab does not have yet).
    const showCell = (c, el, name, now, v, setTo) => {
      if (same(now, v)) { if (!(c in ctl.dirty)) ctl.seen[c] = m.e[c] || 0; return; }
      if (c in ctl.dirty || (el && !document.hidden && el.contains(document.activeElement))) return held.add(name);
      setTo(v);
      ctl.seen[c] = m.e[c] || 0;
      changed.add(name);
    };
    for (const el of fieldsOf(ctl.form)) {
      const id = el.dataset.shsField, name = labelOf(el);
      if (el.dataset.shsKind !== "group") { showCell(id, el, name, getValue(el), m.v[id], (v) => setValue(el, v)); continue; }
      const rows = {};
      for (const row of rowsOf(el)) rows[id + "/" + row.dataset.shsRowId] = row;
      for (const c in m.v) if (c.startsWith(id + "/")) rows[c] = rows[c] || null;
      for (const c in rows) {
        const row = rows[c];
        showCell(c, row, name, row ? rowValue(row) : undefined, m.v[c], (v) => {
          if (v === undefined) return row.remove();
          const r = row || newRow(el, c.slice(id.length + 1));
          setRow(r, v);
          placeRow(el, r);
        });
      }
      renumber(el);
    }
    showOthers(ctl, m);
    sync(ctl.form);
    ctl.held = held.size;
    return [[...changed], [...held]];
  }

  /* "Your other version" (worksheet-more.js): the losing side of a cell edited in two tabs, with Use and Dismiss. */
  function showOthers(ctl, m) {
    const now = JSON.stringify(m.o), had = ctl.others;
    if (had === now || !(had || now !== "{}")) return;
    ctl.others = now;
    withMore(ctl, (x) => ctl.others === now && x.showOthers(ctl, m), () => { if (ctl.others === now) ctl.others = had; });
  }

  /* Saved answers made by a newer version (or unreadable) are never written: worksheet-more.js says why (if it cannot load, that nothing is kept). */
  function lock(ctl) { ctl.locked = true; withMore(ctl, (x) => x.NEWER, () => NOT_KEPT).then((msg) => banner(ctl, "locked", msg)); }
  function broken(host) { banner(host, "storage", NOT_KEPT); say(host, T("status.not_saved")); }

  /* Show the stored answers (after worksheet-more.js carried an older record over: `moved` says so), and say when they were saved. */
  function load(ctl, moved) {
    let m;
    sync(ctl.form);
    try { m = parse(readRaw(ctl.key), ctl.schema); } catch (e) { return broken(ctl); }
    if (!writable()) broken(ctl);
    if (m === LOCKED) return lock(ctl);
    if (m) show(ctl, m), m.t > ctl.schema.version ? lock(ctl) : say(ctl, moved || (m.s ? T("status.saved_on", { when: when(m.s) }) : ""));
    if (pending(ctl)) save(ctl); // typed while worksheet-more.js was loading
  }

  /* Write this tab's edited cells, merged into what is stored now; then show what the other tabs saved. */
  function save(ctl) {
    clearTimeout(ctl.timer);
    sync(ctl.form);
    const ids = Object.keys(ctl.dirty);
    if (!ids.length || ctl.locked) return;
    let m;
    try { m = parse(readRaw(ctl.key), ctl.schema) || blank(); } catch (e) { return broken(ctl); }
    if (m === LOCKED) return lock(ctl);
    const mine = cells(ctl.form), lost = ids.filter((c) => !put(m, c, mine[c], ctl.dirty[c], ctl.seen[c] || 0));
    if (!write(ctl.key, toRec(m, ctl.schema))) return broken(ctl);
    ctl.dirty = {};
    banner(ctl, "storage", null);
    const [changed, kept] = show(ctl, m), at = T("status.saved_at", { time: new Date().toLocaleTimeString(LANG, { hour: "2-digit", minute: "2-digit" }) });
    say(ctl, at);
    // What another tab added, an edit of this tab set aside as the other version, a field held back: worksheet-more.js says so.
    if (lost.length || changed.length || kept.length) later(ctl, "tabsSaid", at, changed, lost, kept);
    saved();
  }

  /* ---- "My worksheets", the privacy page and My plan: worksheet-more.js fills them in (My plan with plan.js) ---- */
  function bindPage(el) {
    const host = { el, refresh() {} };
    if (el.matches("[data-shs-plan]")) style("plan.css");
    withMore(host, (x) => x.bindPage(host), () => el.prepend(h("p", { class: "shs-error", role: "alert" }, T("error.not_loaded"))));
    return host;
  }

  /* ---- binding, page changes, other tabs, leaving, printing ---- */
  function init() {
    live = live.filter((host) => host.el.isConnected || (host.form && save(host), false));
    for (const el of document.querySelectorAll("form[data-shs-worksheet], [data-shs-worksheet-index], [data-shs-privacy-actions], [data-shs-plan]")) {
      if (el.shsBound) continue;
      el.shsBound = true;
      live.push(el.matches("form") ? bindForm(el) : bindPage(el));
    }
  }
  const flush = () => live.forEach((host) => host.form && save(host));
  addEventListener("storage", (e) => {
    if (e.key !== null && !e.key.startsWith(KEY)) return;
    for (const host of live) {
      if (!host.form) host.refresh();
      // Another tab saved (or cleared) this worksheet: worksheet-more.js shows it, loaded on the first such save.
      else if ((e.key || host.key) === host.key) later(host, "remote", e.key && e.newValue);
    }
  });
  addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });
  addEventListener("beforeprint", () => live.forEach((host) => host.form && sync(host.form)));
  // Both: document$ for instant navigation; the DOM event too, as document$ never emits on
  // file:// when navigation.instant is on (Material completes it there). init() is idempotent.
  if (window.document$) window.document$.subscribe(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
