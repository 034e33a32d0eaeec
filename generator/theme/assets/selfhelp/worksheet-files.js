/* Export and import for worksheets.js (read its header first): the JSON and text exports, and
 * checking and previewing a file to import. worksheets.js loads this file the first time a reader
 * exports or imports, so every worksheet page loads less. Plain JavaScript; nothing is sent anywhere.
 * - An import is validated in full before anything is written: answers against the worksheet's
 *   schema (real dates only), set-aside answers as answer-shaped data under field ids.
 * - The text export escapes answers, so no answer can become Markdown or HTML where it is read.
 * - On file://, it offers answers that an older copy of the site left under another folder.
 */
window.selfhelpWorksheetFiles = (lib) => {
  "use strict";
  const { h, btn, isObj, empty, same, answered, count, when, text, toRec, bad, ask, adopt, readRaw, done, care, cared, KEY } = lib;
  const { STORED, LOCKED, parse, blank, fit, set, fieldOf, rowId, write, save, show, broken } = lib;
  const FILE = 1, KIND = "selfhelp-answers", MAX_FILE = 1 << 20, ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  const RESERVED = ["__proto__", "constructor", "prototype"];
  const T = window.selfhelpT;

  /* Retired answers (to questions a worksheet no longer has): only answer-shaped data under field ids. */
  const answerLike = (v, d = 0) => ["string", "boolean"].includes(typeof v) || Number.isFinite(v) || (d < 3 &&
    (Array.isArray(v) ? v.length <= 500 && v.every((x) => answerLike(x, d + 1)) : isObj(v) && Object.keys(v).every((k) => ID.test(k) && answerLike(v[k], d + 1))));

  /* ---- exports ---- */
  const esc = (s) => String(s).replace(/[\\`*_[\]|~]/g, "\\$&").replace(/&(?=#?\w+;)/g, "&amp;").replace(/<(?=[a-z/!?])/gi, "&lt;")
    .replace(/^(\s*)([#>+=-])/gm, "$1\\$2").replace(/^(\s*\d+)([.)])/gm, "$1\\$2");
  function markdown(entries) {
    const out = [];
    for (const { schema, m } of entries) {
      const rec = toRec(m, schema), a = rec.answers;
      out.push(`# ${esc(schema.title)}`, "", T("export.last_saved", { when: when(rec.savedAt) }), "");
      for (const f of schema.fields) {
        out.push(`## ${esc(f.label)}`, "");
        if (f.kind === "group" && answered(f, a[f.id])) {
          a[f.id].forEach((r, i) => out.push(`### ${esc(f.label)}: ${i + 1}`, "",
            ...f.fields.map((s) => `- **${esc(s.label)}:** ${esc(text(s, r[s.id]) || T("export.not_answered")).replace(/\n/g, "\n  ")}`), ""));
        } else out.push(answered(f, a[f.id]) || f.kind === "checkbox" ? esc(text(f, a[f.id])) : T("export.not_answered"), "");
      }
      if (m.r) {
        out.push("## " + T("export.retired"), "",
          ...Object.entries(m.r).map(([k, v]) => `- ${esc(k)}: ${esc(typeof v === "string" ? v : JSON.stringify(v)).replace(/\n/g, "\n  ")}`), "");
      }
    }
    return out.join("\n");
  }
  function exportJson(entries) {
    return JSON.stringify({
      format: FILE, kind: KIND, exportedAt: new Date().toISOString(),
      worksheets: entries.map(({ schema, m }) => {
        const rec = toRec(m, schema);
        return Object.assign({ worksheet: schema.id, title: schema.title, templateVersion: schema.version, savedAt: rec.savedAt, answers: rec.answers },
          m.r ? { retired: m.r } : {});
      }),
    }, null, 2) + "\n";
  }

  /* ---- import: validate everything before anything is written ---- */
  function check(data, schemas, only) {
    const NOT = T("import.not_answers");
    if (!isObj(data) || typeof data.format !== "number") return NOT;
    if (data.format > FILE) return T("import.newer");
    if (data.format !== FILE || data.kind !== KIND || !Array.isArray(data.worksheets)) return NOT;
    if (!data.worksheets.length) return T("import.no_answers");
    const entries = [];
    for (const w of data.worksheets) {
      if (!isObj(w) || typeof w.worksheet !== "string" || !isObj(w.answers)) return NOT;
      const schema = schemas.find((s) => s.id === w.worksheet);
      if (only && w.worksheet !== only) return T("import.other_worksheet", { id: w.worksheet });
      if (!schema) return T("import.unknown_worksheet", { id: w.worksheet });
      if (entries.some((e) => e.schema === schema)) return T("import.twice", { title: schema.title });
      if (("savedAt" in w && w.savedAt !== null && typeof w.savedAt !== "string") || ("templateVersion" in w && typeof w.templateVersion !== "number") ||
        ("retired" in w && !(isObj(w.retired) && answerLike(w.retired)))) return NOT;
      for (const k of Object.keys(w.answers)) {
        const f = schema.fields.find((x) => x.id === k);
        if (!f) return T("import.unknown_question", { title: schema.title, id: k });
        if (bad(f, w.answers[k])) return T("import.bad_answer", { label: f.label, title: schema.title });
      }
      entries.push({ schema, answers: w.answers, retired: w.retired });
    }
    return entries;
  }
  function readFile(file, schemas, only, done, fail) {
    if (!file) return;
    if (!file.size) return fail(T("import.empty"));
    if (file.size > MAX_FILE) return fail(T("import.too_big"));
    file.text().then((raw) => {
      let data, reserved = "";
      try {
        data = JSON.parse(raw, (k, v) => { if (RESERVED.includes(k)) reserved = k; return v; });
      } catch (e) {
        return fail(T("import.incomplete"));
      }
      if (reserved) return fail(T("import.reserved", { name: reserved }));
      const r = check(data, schemas, only);
      typeof r === "string" ? fail(r) : done(r);
    }, () => fail(T("import.unreadable")));
  }
  /* The file chosen with the toolbar's Import: checked in full, then previewed; nothing is written before Replace. */
  const pick = (host, file) => readFile(file, host.schemas, host.form && host.schema.id, (entries) => preview(host, entries, file.name),
    (msg) => lib.showError(host, msg + " " + T("import.nothing_imported")));
  function preview(host, entries, name) {
    const clip = (s) => (s.length > 300 ? s.slice(0, 300) + "…" : s);
    const parts = entries.map(({ schema, answers, retired }) => {
      const cur = lib.current(host, schema), changed = schema.fields.filter((f) => !same(cur[f.id], answers[f.id]));
      const n = count(schema, cur), old = retired ? Object.keys(retired).length : 0;
      return h("div", { class: "shs-preview" },
        h("p", {}, h("strong", {}, schema.title), T("preview.file_has", { answered: count(schema, answers), total: schema.fields.length }) + " " +
          (n ? T("preview.replaces", { count: n }) : T("preview.nothing_here")) + T("preview.changes", { count: changed.length }) +
          (old ? " " + T("preview.retired", { count: old }) : "")),
        h("dl", { class: "shs-preview__changes" }, ...changed.flatMap((f) => [h("dt", {}, f.label), h("dd", {}, clip(text(f, answers[f.id])) || T("other.no_answer"))])));
    });
    ask(host, T("import.question", { name }), T("import.replace"), () => take(host, entries), parts);
  }

  /* Write an import, the same on every page: every answer of each worksheet in the file replaces the one here, as an edit made now. */
  function take(host, list) {
    if (host.form) save(host);
    let before, ok = true, n = 0;
    try { before = list.map(({ schema }) => [KEY + schema.id, readRaw(KEY + schema.id)]); } catch (e) {
      if (host.form) show(host, parse(JSON.stringify({ format: STORED, answers: list[0].answers }), host.schema));
      return broken(host);
    }
    list.forEach(({ schema, answers, retired }, i) => {
      const m = parse(before[i][1], schema) || blank(), at = Date.now();
      if (m === LOCKED) return; // made by a newer version: left untouched
      fit(schema, m);
      m.t = Math.max(m.t || 0, schema.version); // fitted to this version
      for (const c of Object.keys(m.v)) set(m, c, undefined, at);
      for (const [k, v] of Object.entries(answers)) fieldOf(schema, k).kind === "group" ? v.forEach((row) => set(m, k + "/" + rowId(), row, at)) : set(m, k, v, at);
      if (retired) m.r = Object.assign({}, m.r, retired);
      ok = write(KEY + schema.id, toRec(m, schema)) && ok;
      n++;
    });
    if (!ok) broken(host);
    done(host, [!n ? "" : host.form ? T("import.done") : T("import.done_many", { count: n }),
      n < list.length ? T("import.newer_left") : ""].filter(Boolean).join(" "), before);
  }

  /* ---- answers an older copy of the site left on this computer (file://), offered, never taken unasked ---- */
  function offerOldCopies(host, schemas, folders) {
    for (const folder of folders) {
      const from = `selfhelp:${folder}:worksheet:`, line = h("p", { class: "shs-remind shs-remind--old-copy" },
        T("old_copy.found", { folder }) + " ",
        btn(T("old_copy.bring"), () => {
          let before;
          try { before = schemas.flatMap((s) => [KEY + s.id, from + s.id]).map((k) => [k, readRaw(k)]); } catch (e) { return; }
          schemas.forEach((s) => adopt(s, from));
          line.remove();
          done(host, T("old_copy.done"), before);
        }, "shs-button--quiet"),
        btn(T("old_copy.not_mine"), () => { cared({ notMine: (care().notMine || []).concat(folder) }); line.remove(); }, "shs-button--quiet"));
      host.notes.before(line);
    }
  }

  return { exportJson, markdown, readFile, pick, preview, offerOldCopies };
};
