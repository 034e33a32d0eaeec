/* My plan: the reader's answers to the fields content/plan.yml gathers (`plan: <section>` in a worksheet),
 * written into the plan page as text (never as HTML), with "Print my plan" and "Add dates to my calendar".
 * Loaded by worksheets.js on that page as `window.selfhelpPlan(lib)`; answers are read only through
 * lib.answersOf, since worksheets.js owns how they are stored. show() runs again when another tab saves.
 */
window.selfhelpPlan = (lib) => {
  "use strict";
  const { h, btn } = lib;
  const T = window.selfhelpT, LANG = window.selfhelpLang();
  const data = (el) => {
    for (const t of el.querySelectorAll("template")) { const s = t.content.querySelector(".shs-plan__json"); if (s) return JSON.parse(s.textContent); }
    return { sections: [], schemas: [] };
  };
  const printed = () => T("paper.printed_on") + " " + new Date().toLocaleDateString(LANG, { day: "numeric", month: "long", year: "numeric" });
  const tick = (on) => h("span", { class: "shs-plan__tick" + (on ? " shs-plan__tick--on" : "") }, h("span", { class: "shs-visually-hidden" }, T(on ? "answer.yes" : "answer.no")));

  /* One answer as text (a list for a checklist). */
  function value(f, v, short) {
    if (f.kind === "date") return lib.dateText(v, short ? undefined : { weekday: "short", day: "numeric", month: "long", year: "numeric" });
    if (f.kind === "scale") return short ? String(v) : T("plan.scale", { value: v, min: f.min, max: f.max });
    if (f.kind === "checklist") return h("ul", { class: "shs-plan__list" }, ...v.map((o) => h("li", {}, o)));
    return String(v);
  }
  /* A group's rows as a table, a checkbox as a tick, anything else as its label and answer. */
  function item(f, v, latest) {
    if (f.kind === "group") {
      const rows = v.filter(lib.filled).slice(-latest || 0);
      return rows.length && h("table", { class: "shs-plan__table" }, h("caption", { class: "shs-visually-hidden" }, f.label),
        h("thead", {}, h("tr", {}, ...f.fields.map((s) => h("th", { scope: "col", class: "shs-plan__col--" + s.kind }, s.label)))),
        h("tbody", {}, ...rows.map((row) => h("tr", {}, ...f.fields.map((s) => h("td", { class: "shs-plan__col--" + s.kind, "data-label": s.label },
          ...(s.kind === "checkbox" ? [tick(row[s.id] === true)] : lib.answered(s, row[s.id]) ? [value(s, row[s.id], true)] : [])))))));
    }
    if (f.kind === "checkbox") return v === true && h("p", { class: "shs-plan__check" }, tick(true), " " + f.label);
    return h("div", { class: "shs-plan__item" }, h("p", { class: "shs-plan__label" }, f.label),
      h(f.kind === "checklist" ? "div" : "p", { class: "shs-plan__value" }, value(f, v)));
  }

  /* The saved answers of every worksheet the plan reads, limited to the fields on the plan (for the calendar). */
  function entries(plan) {
    return plan.schemas.map((schema) => ({
      schema, rec: lib.answersOf(schema),
      only: new Set(plan.sections.flatMap((s) => s.sources.filter((x) => x.worksheet === schema.id).map((x) => x.field))),
    })).filter((e) => e.rec);
  }

  function tools(el) {
    const host = { status: h("p", { class: "shs-worksheet__status", role: "status", "aria-live": "polite" }) };
    el.shsPrinted = h("p", { class: "shs-plan__printed" });
    el.prepend(h("div", { class: "shs-toolbar", role: "group", "aria-label": T("plan.toolbar") },
      btn(T("plan.print"), () => { show(el); print(); }),
      btn(T("button.calendar"), () => lib.toCalendar(host, entries(el.shsPlan), "my-plan-dates"))), host.status, el.shsPrinted);
    addEventListener("beforeprint", () => { if (el.isConnected) el.shsPrinted.textContent = printed(); });
  }

  function show(el) {
    const plan = el.shsPlan = el.shsPlan || data(el), found = {};
    for (const e of entries(plan)) found[e.schema.id] = e;
    if (!el.shsPrinted) tools(el);
    let any = false;
    for (const section of plan.sections) {
      const box = el.querySelector(`[data-shs-plan-section="${section.id}"]`), out = box && box.querySelector("[data-shs-plan-answers]");
      if (!out) continue;
      const items = section.sources.map(({ worksheet, field }) => {
        const e = found[worksheet], f = e && e.schema.fields.find((x) => x.id === field), v = f && e.rec.answers[f.id];
        return f && lib.answered(f, v) && item(f, v, section.latest);
      }).filter(Boolean);
      out.replaceChildren(...(items.length ? items : [h("p", { class: "shs-plan__empty" }, T("plan.empty"))]));
      box.classList.toggle("shs-plan__section--filled", items.length > 0);
      any = any || items.length > 0;
    }
    el.classList.toggle("shs-plan--filled", any);
    el.shsPrinted.textContent = printed();
  }

  return { show };
};
