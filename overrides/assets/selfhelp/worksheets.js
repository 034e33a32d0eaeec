/* Worksheets in the browser. Plain JavaScript: no framework, no build step, no network.
 *
 * - Answers autosave to localStorage under "selfhelp:<site root path>:worksheet:<id>" as
 *   {format, worksheet, templateVersion, savedAt, rev, answers[, retired]}. Every write is
 *   read back; a failed one shows a banner and offers Export.
 * - Another tab's save arrives as a `storage` event and is merged in; a save never
 *   overwrites a newer record it has not seen (it merges first, by `rev`).
 * - Answers are only ever put back as .value, .checked or .textContent, never as HTML.
 * - Material's instant navigation swaps pages without reloading: init() runs on every
 *   `document$` emission and binds each form, index and privacy block once.
 */
(() => {
  "use strict";
  const FORMAT = 1, KIND = "selfhelp-answers", MAX_FILE = 1 << 20;
  const RESERVED = ["__proto__", "constructor", "prototype"];
  const root = (() => {
    // Material's __md_scope is the site root, fixed when the first page loaded. This script may
    // load later (site.js, after instant navigation), when `location` is another page's.
    if (window.__md_scope instanceof URL) return window.__md_scope.pathname.replace(/\/?$/, "/");
    let base = ".";
    try { base = JSON.parse(document.getElementById("__config").textContent).base || base; } catch (e) { /* no Material config */ }
    return new URL(base, location.href).pathname.replace(/\/?$/, "/");
  })();
  const PREFIX = `selfhelp:${root}:worksheet:`, PROBE = `selfhelp:${root}:probe`;
  const NOT_KEPT = "Your answers are not being saved on this device: this browser is blocking storage or it is full. " +
    "Anything you type here will be lost when you leave or reload this page. Use Export to keep a copy as a file.";
  const NEWER = "Your saved answers for this worksheet were made by a newer version of this site (or could not be read), " +
    "so they have been left as they are. Changes you make on this page will not be saved here; use Export to keep a copy.";
  let live = [];

  /* ---- small helpers ---- */
  const h = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    for (const k in props || {}) k.startsWith("on") ? e.addEventListener(k.slice(2), props[k]) : e.setAttribute(k, props[k]);
    e.append(...kids);
    return e;
  };
  const btn = (label, fn, cls = "") => h("button", { type: "button", class: "md-button shs-button " + cls, onclick: fn }, label);
  /* Schema JSON sits in a <script type="application/json"> inside an inert <template>. */
  const data = (el, sel) => {
    for (const t of el.querySelectorAll("template")) { const s = t.content.querySelector(sel); if (s) return JSON.parse(s.textContent); }
    return JSON.parse(el.querySelector(sel).textContent);
  };
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const empty = (v) => v == null || v === "" || v === false || (Array.isArray(v) && !v.length);
  const same = (a, b) => JSON.stringify(empty(a) ? null : a) === JSON.stringify(empty(b) ? null : b);
  const answered = (f, v) => (f.kind === "group" ? Array.isArray(v) && v.some((r) => isObj(r) && Object.keys(r).length) : !empty(v));
  const count = (schema, a) => schema.fields.filter((f) => answered(f, a[f.id])).length;
  const when = (s) => { const d = new Date(s); return isNaN(d) ? "" : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }); };
  const today = () => new Date().toISOString().slice(0, 10);

  /* ---- storage: every call may throw (SecurityError, QuotaExceededError) ---- */
  const store = () => { try { return window.localStorage; } catch (e) { return null; } };
  const readRaw = (key) => store().getItem(key); // throws when storage is unavailable
  const parse = (raw) => {
    if (raw == null) return null;
    try { const r = JSON.parse(raw); if (isObj(r) && isObj(r.answers)) return r; } catch (e) { /* unreadable */ }
    return { format: Infinity, answers: {} }; // unreadable: never touch it
  };
  const readRec = (key) => { try { return parse(readRaw(key)); } catch (e) { return null; } };
  function write(key, rec) {
    try {
      const s = store(), raw = rec == null ? null : JSON.stringify(rec);
      raw == null ? s.removeItem(key) : s.setItem(key, raw);
      return s.getItem(key) === raw;
    } catch (e) { return false; }
  }
  const writable = () => write(PROBE, { probe: 1 }) && write(PROBE, null);
  function ourKeys() {
    const s = store(), keys = [];
    for (let i = 0; i < s.length; i++) if (s.key(i).startsWith(PREFIX)) keys.push(s.key(i));
    return keys;
  }

  /* ---- reading and writing the form ---- */
  const fieldsOf = (scope, inRow) => [...scope.querySelectorAll("[data-shs-field]")].filter((e) => inRow || !e.closest("[data-shs-row]"));
  const inputs = (el) => [...el.querySelectorAll("input,textarea")];
  const labelOf = (el) => el.querySelector(".shs-field__label").textContent.trim();

  function getValue(el) {
    const kind = el.dataset.shsKind, all = inputs(el);
    if (kind === "group") {
      return [...el.querySelectorAll("[data-shs-row]")].map((row) => {
        const r = {};
        for (const f of fieldsOf(row, 1)) { const v = getValue(f); if (!empty(v)) r[f.dataset.shsField] = v; }
        return r;
      });
    }
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
    if (kind === "group") setRows(el, Array.isArray(v) ? v : []);
    else if (kind === "checkbox") all[0].checked = v === true;
    else if (kind === "checklist") all.forEach((i) => { i.checked = Array.isArray(v) && v.includes(i.value); });
    else if (kind === "choice" || kind === "scale") all.forEach((i) => { i.checked = v != null && i.value === String(v); });
    else all[0].value = typeof v === "string" ? v : "";
  }

  function addRow(group, values) {
    const list = group.querySelector("[data-shs-rows]"), n = String(list.children.length + 1);
    const frag = group.querySelector("template").content.cloneNode(true);
    for (const e of frag.querySelectorAll("*")) {
      for (const a of ["id", "for", "name", "aria-describedby", "aria-labelledby"]) {
        const v = e.getAttribute(a);
        if (v && v.includes("__ROW__")) e.setAttribute(a, v.replace(/__ROW__/g, n));
      }
    }
    frag.querySelectorAll("[data-shs-row-number]").forEach((s) => { s.textContent = n; });
    const row = frag.firstElementChild;
    list.append(frag);
    for (const f of fieldsOf(row, 1)) setValue(f, values && values[f.dataset.shsField]);
    return row;
  }

  function setRows(group, rows) {
    group.querySelector("[data-shs-rows]").textContent = "";
    rows.forEach((r) => addRow(group, isObj(r) ? r : {}));
  }

  function collect(form) {
    const a = {};
    for (const el of fieldsOf(form)) { const v = getValue(el); if (!empty(v)) a[el.dataset.shsField] = v; }
    return a;
  }

  /* Print: mirror each text answer into a print-only element (never clipped), mark filled fields/groups. */
  function sync(form) {
    for (const el of form.querySelectorAll("[data-shs-kind=text],[data-shs-kind=textarea],[data-shs-kind=date]")) {
      const c = el.querySelector(".shs-field__control");
      let m = el.querySelector(".shs-print-value");
      if (!m) { m = h("div", { class: "shs-print-value", "aria-hidden": "true" }); c.after(m); }
      const v = c.value;
      m.textContent = el.dataset.shsKind === "date" && v ? new Date(v + "T00:00").toLocaleDateString() : v;
      el.classList.toggle("shs-field--filled", v !== "");
    }
    for (const g of form.querySelectorAll("[data-shs-kind=group]")) {
      g.classList.toggle("shs-group--filled", getValue(g).some((r) => Object.keys(r).length));
    }
  }

  /* ---- checking answers against a worksheet's schema (import, migration) ---- */
  function bad(f, v) {
    switch (f.kind) {
      case "group":
        return !Array.isArray(v) || v.length > 500 || v.some((r) => !isObj(r) ||
          Object.keys(r).some((k) => { const s = f.fields.find((x) => x.id === k); return !s || bad(s, r[k]); }));
      case "checkbox": return typeof v !== "boolean";
      case "checklist": return !Array.isArray(v) || v.some((x) => !f.options.includes(x));
      case "choice": return !f.options.includes(v);
      case "scale": return !Number.isInteger(v) || v < f.min || v > f.max;
      case "date": return typeof v !== "string" || (v !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(v));
      default: return typeof v !== "string";
    }
  }
  /* Split answers into those that fit this version of the worksheet and those that no longer do. */
  function fit(schema, answers) {
    const kept = {}, dropped = {};
    for (const k of Object.keys(isObj(answers) ? answers : {})) {
      const f = schema.fields.find((x) => x.id === k);
      (f && !bad(f, answers[k]) ? kept : dropped)[k] = answers[k];
    }
    return [kept, Object.keys(dropped).length ? dropped : null];
  }

  /* ---- plain-text (Markdown) copy ---- */
  function text(f, v) {
    if (f.kind === "checkbox") return v ? "Yes" : "No";
    if (empty(v)) return "";
    if (f.kind === "group") return v.map((r, i) => `${i + 1}. ` + f.fields.map((s) => `${s.label}: ${text(s, r[s.id]) || "-"}`).join("; ")).join("\n");
    return Array.isArray(v) ? v.join(", ") : String(v);
  }
  function markdown(entries) {
    const out = [];
    for (const { schema, rec } of entries) {
      out.push(`# ${schema.title}`, "", rec.savedAt ? `Last saved: ${when(rec.savedAt)}` : "", "");
      for (const f of schema.fields) {
        const v = rec.answers[f.id];
        out.push(`## ${f.label}`, "");
        if (f.kind === "group" && answered(f, v)) {
          v.forEach((r, i) => {
            out.push(`### ${f.label}: ${i + 1}`, "");
            f.fields.forEach((s) => out.push(`- **${s.label}:** ${(text(s, r[s.id]) || "(not answered)").replace(/\n/g, "\n  ")}`));
            out.push("");
          });
        } else out.push(answered(f, v) || f.kind === "checkbox" ? text(f, v) : "(not answered)", "");
      }
      if (rec.retired) out.push("## Answers from an older version of this worksheet", "", "```", JSON.stringify(rec.retired, null, 2), "```", "");
    }
    return out.join("\n");
  }
  function exportJson(entries) {
    return JSON.stringify({
      format: FORMAT, kind: KIND, exportedAt: new Date().toISOString(),
      worksheets: entries.map(({ schema, rec }) => Object.assign(
        { worksheet: schema.id, title: schema.title, templateVersion: schema.version, savedAt: rec.savedAt || null, answers: rec.answers },
        rec.retired ? { retired: rec.retired } : {})),
    }, null, 2) + "\n";
  }
  function download(name, data, type) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = h("a", { href: url, download: name, hidden: "" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /* ---- import: validate everything before anything is written ---- */
  function check(data, schemas, only) {
    const NOT = "This is not an answers file from this site.";
    if (!isObj(data) || typeof data.format !== "number") return NOT;
    if (data.format > FORMAT) return "This file was made by a newer version of this site, so it can't be imported here.";
    if (data.format !== FORMAT || data.kind !== KIND || !Array.isArray(data.worksheets)) return NOT;
    if (!data.worksheets.length) return "This file has no answers in it.";
    const entries = [];
    for (const w of data.worksheets) {
      if (!isObj(w) || typeof w.worksheet !== "string" || !isObj(w.answers)) return NOT;
      const schema = schemas.find((s) => s.id === w.worksheet);
      if (only && w.worksheet !== only) return `This file has answers for a different worksheet ("${w.worksheet}"). Import it on the My worksheets page.`;
      if (!schema) return `This file has answers for a worksheet this site doesn't have ("${w.worksheet}").`;
      if (entries.some((e) => e.schema === schema)) return `This file has "${schema.title}" twice.`;
      if (("savedAt" in w && w.savedAt !== null && typeof w.savedAt !== "string") || ("templateVersion" in w && typeof w.templateVersion !== "number") ||
        ("retired" in w && !isObj(w.retired))) return NOT;
      for (const k of Object.keys(w.answers)) {
        const f = schema.fields.find((x) => x.id === k);
        if (!f) return `This file has an answer to a question that "${schema.title}" doesn't have ("${k}").`;
        if (bad(f, w.answers[k])) return `The answer to "${f.label}" in "${schema.title}" is not the kind of answer that question takes.`;
      }
      entries.push({ schema, answers: w.answers, retired: w.retired });
    }
    return entries;
  }
  function readFile(file, schemas, only, done, fail) {
    if (!file) return;
    if (!file.size) return fail("This file is empty.");
    if (file.size > MAX_FILE) return fail("This file is too big (over 1 MB) to be an answers file.");
    file.text().then((raw) => {
      let data, reserved = "";
      try {
        data = JSON.parse(raw, (k, v) => { if (RESERVED.includes(k)) reserved = k; return v; });
      } catch (e) {
        return fail("This file could not be read: it is not a complete answers file. It may have been cut short or changed.");
      }
      if (reserved) return fail(`This file contains a name that is not allowed ("${reserved}").`);
      const r = check(data, schemas, only);
      typeof r === "string" ? fail(r) : done(r);
    }, () => fail("This file could not be read."));
  }

  /* ---- the shared frame: toolbar, status, banners, confirm panel, undo notice ---- */
  function frame(host, status, label, buttons) {
    host.status = status;
    host.bar = h("div", { class: "shs-toolbar", role: "group", "aria-label": label });
    host.notes = h("div", { class: "shs-notes" });
    host.panel = h("div", { class: "shs-panel", hidden: "" });
    for (const [text, fn] of buttons) host.bar.append(btn(text, fn));
    if (host.schemas) {
      const file = h("input", { type: "file", accept: ".json,application/json", hidden: "", "aria-label": "Answers file to import", class: "shs-toolbar__file" });
      file.addEventListener("change", () => {
        const f = file.files[0];
        file.value = "";
        readFile(f, host.schemas, host.form && host.schema.id, (entries) => preview(host, entries, f.name), (msg) => showError(host, msg));
      });
      host.bar.append(file);
      host.bar.insertBefore(btn("Import answers", () => file.click()), host.bar.children[2]);
    }
    status.before(host.bar);
    status.after(host.notes, host.panel);
  }
  const say = (host, msg) => { if (host.status.textContent !== msg) host.status.textContent = msg; };
  function banner(host, kind, msg) {
    const old = host.el.querySelector(`.shs-banner--${kind}`);
    if (!msg) return old && old.remove();
    if (!old) host.notes.before(h("div", { class: `shs-banner shs-banner--${kind}`, role: "alert" }, h("p", {}, msg), btn("Export answers", host.exportJson)));
  }
  function notice(host, msg, undo, after) {
    say(host, msg);
    const old = (after ? after.parentNode : host.notes).querySelector(":scope > .shs-notice");
    if (old) old.remove();
    const n = h("p", { class: "shs-notice" }, msg + " ", btn("Undo", () => { n.remove(); undo(); }, "shs-button--quiet"));
    after ? after.after(n) : host.notes.append(n);
  }
  function closePanel(host, back) {
    host.panel.hidden = true;
    host.panel.textContent = "";
    if (back && back.isConnected) back.focus();
  }
  function ask(host, question, yes, onYes, extra = []) {
    const back = document.activeElement, q = h("p", { class: "shs-panel__question", tabindex: "-1" }, question);
    host.panel.replaceChildren(q, ...extra, h("div", { class: "shs-panel__buttons" },
      btn(yes, () => { closePanel(host, back); onYes(); }, "md-button--primary"), btn("Cancel", () => closePanel(host, back))));
    host.panel.onkeydown = (e) => { if (e.key === "Escape") closePanel(host, back); };
    host.panel.hidden = false;
    q.focus();
  }
  function showError(host, msg) {
    const p = h("p", { class: "shs-error", role: "alert", tabindex: "-1" }, `${msg} Nothing was imported; your answers have not been changed.`);
    host.panel.replaceChildren(p);
    host.panel.onkeydown = null;
    host.panel.hidden = false;
    p.focus();
  }
  function preview(host, entries, name) {
    const clip = (s) => (s.length > 300 ? s.slice(0, 300) + "…" : s);
    const parts = entries.map(({ schema, answers }) => {
      const cur = host.current(schema), changed = schema.fields.filter((f) => !same(cur[f.id], answers[f.id]));
      const n = count(schema, cur);
      return h("div", { class: "shs-preview" },
        h("p", {}, h("strong", {}, schema.title), `: the file has ${count(schema, answers)} of ${schema.fields.length} questions answered. ` +
          (n ? `It replaces the ${n} answered here now` : "Nothing is answered here yet") + `; ${changed.length} ${changed.length === 1 ? "answer changes" : "answers change"}.`),
        h("dl", { class: "shs-preview__changes" }, ...changed.flatMap((f) => [h("dt", {}, f.label), h("dd", {}, clip(text(f, answers[f.id])) || "(no answer)")])));
    });
    ask(host, `Import the answers in "${name}"? Check what will change first.`, "Replace my answers", () => host.take(entries, name), parts);
  }

  /* ---- a worksheet form ---- */
  function bindForm(form) {
    const schema = data(form, ".shs-worksheet__schema");
    const ctl = { el: form, form, schema, schemas: [schema], key: PREFIX + schema.id, rev: 0, dirty: new Set(), locked: false, timer: 0 };
    const entry = () => { const r = readRec(ctl.key); return [{ schema, rec: { savedAt: ctl.savedAt, answers: collect(form), retired: r && r.retired } }]; };
    ctl.exportJson = () => download(`${schema.id}-answers-${today()}.json`, exportJson(entry()), "application/json");
    ctl.current = () => collect(form);
    ctl.take = (entries) => replace(ctl, entries[0].answers, "Answers imported.");
    frame(ctl, form.querySelector(".shs-worksheet__status"), "Worksheet tools", [
      ["Export answers", ctl.exportJson],
      ["Export as text", () => download(`${schema.id}-answers-${today()}.md`, markdown(entry()), "text/markdown")],
      ["Print", () => { sync(form); window.print(); }],
      ["Clear answers", () => ask(ctl, "Clear every answer on this worksheet? They will be deleted from this device.", "Clear answers", () => replace(ctl, {}, "Answers cleared."))],
    ]);
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("input", (e) => edited(ctl, e.target, false));
    form.addEventListener("change", (e) => edited(ctl, e.target, true));
    form.addEventListener("focusout", () => { if (ctl.dirty.size) save(ctl); });
    form.addEventListener("click", (e) => {
      const b = e.target.closest("[data-shs-action]");
      if (!b) return;
      const group = b.closest("[data-shs-kind=group]"), add = group.querySelector("[data-shs-action=add-row]");
      if (b === add) {
        addRow(group).querySelector("input,textarea").focus();
        edited(ctl, group, true);
      } else {
        const row = b.closest("[data-shs-row]"), rows = getValue(group), at = [...row.parentNode.children].indexOf(row), gone = rows.splice(at, 1)[0];
        setRows(group, rows);
        add.focus();
        edited(ctl, group, true);
        notice(ctl, "Row removed.", () => {
          const now = getValue(group);
          now.splice(at, 0, gone);
          setRows(group, now);
          group.querySelectorAll("[data-shs-row]")[at].querySelector("input,textarea").focus();
          edited(ctl, group, true);
        }, add);
      }
    });
    load(ctl);
    return ctl;
  }

  function edited(ctl, target, now) {
    const f = (target.closest("[data-shs-row]") || target).closest("[data-shs-field]");
    if (!f || !ctl.form.contains(f)) return;
    ctl.dirty.add(f.dataset.shsField);
    clearTimeout(ctl.timer);
    if (now) save(ctl);
    else ctl.timer = setTimeout(() => save(ctl), 300);
  }

  /* Put answers into the form. With `guard`, a field the reader is in (or has unsaved edits in) is kept. */
  function apply(ctl, answers, guard) {
    const kept = [];
    for (const el of fieldsOf(ctl.form)) {
      const id = el.dataset.shsField;
      if (same(getValue(el), answers[id])) continue;
      if (guard && (el.contains(document.activeElement) || ctl.dirty.has(id))) { kept.push(el); ctl.dirty.add(id); continue; }
      setValue(el, answers[id]);
    }
    sync(ctl.form);
    return kept;
  }

  function lock(ctl) { ctl.locked = true; banner(ctl, "locked", NEWER); }
  function broken(host) { banner(host, "storage", NOT_KEPT); say(host, "Not saved: this browser is not keeping answers on this device."); }

  function load(ctl) {
    let raw;
    try { raw = readRaw(ctl.key); } catch (e) { sync(ctl.form); return broken(ctl); }
    if (!writable()) broken(ctl);
    const rec = parse(raw), v = ctl.schema.version;
    if (!rec) return sync(ctl.form);
    if (!(rec.format <= FORMAT)) { sync(ctl.form); return lock(ctl); }
    const [answers, dropped] = fit(ctl.schema, rec.answers);
    ctl.rev = rec.rev || 0;
    ctl.savedAt = rec.savedAt;
    apply(ctl, answers);
    if (rec.templateVersion > v) return lock(ctl);
    say(ctl, rec.savedAt ? `Answers saved on this device on ${when(rec.savedAt)}.` : "");
    if (rec.format < FORMAT || rec.templateVersion !== v || dropped) {
      // An older record: keep the answers that still fit; set the rest aside (kept in exports), never delete them.
      const next = Object.assign({}, rec, { format: FORMAT, worksheet: ctl.schema.id, templateVersion: v, rev: ctl.rev + 1, answers });
      if (dropped) next.retired = Object.assign({}, rec.retired, dropped);
      if (write(ctl.key, next)) { ctl.rev = next.rev; say(ctl, "Your saved answers were moved to the latest version of this worksheet."); }
    }
  }

  function save(ctl) {
    clearTimeout(ctl.timer);
    sync(ctl.form);
    if (!ctl.dirty.size || ctl.locked) return;
    let cur, raw;
    try { raw = readRaw(ctl.key); } catch (e) { return broken(ctl); }
    cur = parse(raw);
    if (cur && !(cur.format <= FORMAT)) return lock(ctl);
    let answers = collect(ctl.form), note = "";
    if (cur && (cur.rev || 0) !== ctl.rev) {
      // Another tab saved since we last looked: start from its answers, add only what changed here.
      const merged = fit(ctl.schema, cur.answers)[0];
      for (const id of ctl.dirty) id in answers ? (merged[id] = answers[id]) : delete merged[id];
      apply(ctl, merged, true);
      answers = merged;
      note = ", with changes made in another tab";
    }
    const rec = { format: FORMAT, worksheet: ctl.schema.id, templateVersion: ctl.schema.version, savedAt: new Date().toISOString(), rev: ((cur && cur.rev) || 0) + 1, answers };
    if (cur && cur.retired) rec.retired = cur.retired;
    if (!write(ctl.key, rec)) return broken(ctl);
    ctl.rev = rec.rev;
    ctl.savedAt = rec.savedAt;
    ctl.dirty.clear();
    banner(ctl, "storage", null);
    say(ctl, `Saved on this device at ${new Date(rec.savedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}${note}`);
  }

  /* Replace every answer (import, clear), offering Undo. */
  function replace(ctl, answers, msg) {
    const before = collect(ctl.form), undo = () => replace(ctl, before, "Answers restored.");
    apply(ctl, answers);
    ctl.dirty = new Set(ctl.schema.fields.map((f) => f.id));
    if (empty(Object.keys(answers))) {
      ctl.dirty.clear();
      clearTimeout(ctl.timer);
      if (!ctl.locked && !write(ctl.key, null)) broken(ctl);
      ctl.rev = 0;
    } else save(ctl);
    notice(ctl, msg, undo);
  }

  /* Another tab saved (or cleared) this worksheet. */
  function remote(ctl, raw) {
    if (ctl.locked) return;
    const rec = parse(raw);
    if (rec && !(rec.format <= FORMAT)) return lock(ctl);
    if (rec && (rec.rev || 0) <= ctl.rev) return;
    ctl.rev = rec ? rec.rev || 0 : 0;
    const kept = apply(ctl, rec ? fit(ctl.schema, rec.answers)[0] : {}, true);
    say(ctl, (rec ? "Updated with changes made in another tab." : "Answers were cleared in another tab.") +
      (kept.length ? ` Your answer to "${labelOf(kept[0])}" here was kept because you are editing it.` : ""));
  }

  /* ---- "My worksheets" and the privacy page ---- */
  function bindIndex(el, privacy) {
    const schemas = data(el, ".shs-worksheet-index__schemas");
    const host = { el, schemas: privacy ? null : schemas };
    const entries = () => schemas.map((schema) => ({ schema, rec: readRec(PREFIX + schema.id) })).filter((e) => e.rec && e.rec.format <= FORMAT);
    host.exportJson = () => download(`worksheet-answers-${today()}.json`, exportJson(entries()), "application/json");
    host.current = (schema) => { const r = readRec(PREFIX + schema.id); return r ? r.answers : {}; };
    host.take = (list) => {
      let before, ok = true, n = 0;
      try { before = list.map((e) => PREFIX + e.schema.id).map((k) => [k, readRaw(k)]); } catch (e) { return broken(host); }
      for (const { schema, answers, retired } of list) {
        const old = readRec(PREFIX + schema.id);
        if (old && !(old.format <= FORMAT)) continue; // made by a newer version: left untouched
        const rec = { format: FORMAT, worksheet: schema.id, templateVersion: schema.version, savedAt: new Date().toISOString(), rev: ((old && old.rev) || 0) + 1, answers };
        if (retired || (old && old.retired)) rec.retired = Object.assign({}, old && old.retired, retired);
        ok = write(PREFIX + schema.id, rec) && ok;
        n++;
      }
      if (!ok) broken(host);
      done(`Imported answers for ${n} ${n === 1 ? "worksheet" : "worksheets"}.` + (n < list.length ? " Answers saved by a newer version of this site were left as they are." : ""), before);
    };
    const done = (msg, before) => {
      progress(host, schemas);
      notice(host, msg, () => {
        for (const [k, raw] of before) {
          const rec = parse(raw), cur = readRec(k);
          if (rec && rec.format <= FORMAT) rec.rev = Math.max(rec.rev || 0, (cur && cur.rev) || 0) + 1;
          write(k, rec);
        }
        progress(host, schemas);
        say(host, "Your answers were put back.");
      });
    };
    const buttons = [
      ["Export all answers", host.exportJson],
      ["Export all as text", () => download(`worksheet-answers-${today()}.md`, markdown(entries()), "text/markdown")],
    ];
    if (privacy) {
      buttons.push(["Delete all my answers", () => ask(host, "Delete your answers to every worksheet from this device?", "Delete all my answers", () => {
        let before = [];
        try { before = ourKeys().map((k) => [k, readRaw(k)]); } catch (e) { return broken(host); }
        if (!before.every(([k]) => write(k, null))) broken(host);
        done("All your answers were deleted from this device.", before);
      })]);
    }
    const status = h("p", { class: "shs-worksheet__status", role: "status", "aria-live": "polite" });
    el.prepend(status);
    frame(host, status, privacy ? "Your answers" : "All worksheets", buttons);
    host.progress = () => progress(host, schemas);
    try { readRaw(PROBE); if (!writable()) broken(host); } catch (e) { broken(host); }
    host.progress();
    return host;
  }

  function progress(host, schemas) {
    for (const item of host.el.querySelectorAll("[data-shs-worksheet-id]")) {
      const out = item.querySelector("[data-shs-progress]"), schema = schemas.find((s) => s.id === item.dataset.shsWorksheetId);
      if (!out || !schema) continue;
      const rec = readRec(PREFIX + schema.id), n = rec ? count(schema, fit(schema, rec.answers)[0]) : 0;
      out.textContent = rec && !(rec.format <= FORMAT) ? "Saved by a newer version of this site"
        : n ? `${n} of ${schema.fields.length} answered · last edited ${when(rec.savedAt)}` : "Not started";
    }
  }

  /* ---- binding, page changes, other tabs, leaving, printing ---- */
  function init() {
    live = live.filter((host) => host.el.isConnected || (host.form && save(host), false));
    for (const el of document.querySelectorAll("form[data-shs-worksheet], [data-shs-worksheet-index], [data-shs-privacy-actions]")) {
      if (el.shsBound) continue;
      el.shsBound = true;
      live.push(el.matches("form") ? bindForm(el) : bindIndex(el, el.matches("[data-shs-privacy-actions]")));
    }
  }
  const flush = () => live.forEach((host) => host.form && save(host));
  addEventListener("storage", (e) => {
    if (e.key !== null && !e.key.startsWith(PREFIX)) return;
    for (const host of live) {
      if (!host.form) host.progress();
      else if (e.key === null || e.key === host.key) remote(host, e.key === null ? null : e.newValue);
    }
  });
  addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });
  addEventListener("beforeprint", () => live.forEach((host) => host.form && sync(host.form)));
  // Both: document$ for instant navigation; the DOM event too, as document$ never emits on
  // file:// when navigation.instant is on (Material completes it there). init() is idempotent.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(() => init());
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
