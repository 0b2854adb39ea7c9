// The caseworker's page: builds a household record from the form (an empty
// field is left out: unknown, never zero or no), posts it to /v1/evaluate,
// and shows one card per benefit and person with the status, the amount,
// the clause it rests on, the reasons and the facts still to ask.
"use strict";

const EN = {
  title: "Disability assistance: entitlements", switch: "中文", print: "Print", household: "Household", hid: "Household id",
  jurisdiction: "Jurisdiction", residence: "Residence", unknown: "unknown", urban: "urban", rural: "rural", asof: "As of",
  property: "Property test", pass: "passes", fail: "fails", hardship: "Assessed as still in hardship", status: "Assistance received",
  dibao: "dibao", dibao_edge: "dibao-edge", tekun: "tekun support", low_income: "low income", poverty_alleviated: "lifted out of poverty", monitored: "monitored for return to poverty",
  status_known: "checked (none ticked means none)", history: "Monthly per-capita income (e.g. 2025-03:760.00; 2025-04:760.00)",
  add: "Add member", submit: "Evaluate", paste: "Or paste a record (JSON or YAML)", submitJSON: "Evaluate the pasted record", member: "Member",
  remove: "Remove", name: "Name", cid: "Citizen ID", relation: "Relation", head: "head", spouse: "spouse", child: "child",
  parent: "parent", grandparent: "grandparent", grandchild: "grandchild", sibling: "sibling", other: "other", birth: "Birth date", age: "Age (if the birth date is not known)", disabled: "Disabled", category: "Category",
  visual: "visual", hearing: "hearing", speech: "speech", physical: "physical", intellectual: "intellectual", mental: "mental",
  multiple: "multiple", grade: "Grade", certValid: "Certificate valid", careLongTerm: "Needs long-term care (6 months or more)", careNeeded: "Needs care", careMonths: "Months of care",
  employment: "Employment", employed: "employed", self_employed: "self-employed", unemployed: "unemployed", nilf: "not in the labour force",
  student: "student", retired: "retired", notEmployed: "not in work (whether seeking work not stated)", flexible: "flexible work (job or self-employment not stated)", farming: "farming", costs: "Employment costs (yuan/month)", wages: "Wages (yuan/month)",
  business: "Business income (yuan/month)", pension: "Pension (yuan/month)", otherIncome: "Other income (yuan/month)",
  tekunM: "Tekun support", orphan: "Orphan guarantee", injury: "Work-injury care allowance", welfare: "Other welfare subsidy",
  familySupport: "Relies on family", pensionIns: "In residents' pension", medicalIns: "In residents' medical insurance",
  dilapidated: "Home is dilapidated", selfFund: "Can raise rebuilding funds", publicRental: "Applies for public rental housing",
  accessibility: "Home needs barrier-free renovation", more: "More: certificate number, capacity to work, education, service needs, subsidies received",
  certNo: "Disability certificate number", lowerLimb: "Lower-limb disability", autism: "Autism", workCapacity: "Capacity to work",
  full: "able to work", partial_loss: "partly unable to work", total_loss: "unable to work", stableIncome: "Can earn a stable income from work",
  sheltered: "In assisted employment", laReceived: "Living allowance received (yuan/month)", csReceived: "Care subsidy received (yuan/month)",
  otherAssistance: "Other social assistance (yuan/month)", eduStage: "Education stage", notInEducation: "not in education",
  preschool: "preschool", primary: "primary school", junior_secondary: "junior secondary school", senior_secondary: "senior secondary school",
  secondary_vocational: "secondary vocational school", higher: "higher education", economicHardship: "Economically difficult family (student aid)",
  graduatingFrom: "Graduating from", gradHigher: "higher education", gradVocational: "secondary vocational school", gradNone: "neither",
  graduatingYear: "Graduation year", internship: "In a job internship", needs: "Service needs", day_care: "day care",
  residential_care: "residential care", rehabilitation: "rehabilitation", assistive_device: "assistive device",
  vocational_training: "vocational training", needs_known: "assessed (none ticked means none)",
  yes: "yes", no: "no", eligible: "Eligible", ineligible: "Not eligible", undetermined: "Needs information",
  shall: "shall grant", may: "may grant (office's discretion)", planned: "planned aim", amount: "Amount", basis: "Basis",
  reasons: "Reasons", exception: "an exception applies", ask: "Ask the applicant", caveats: "Notes", householdSubject: "household", working: "Evaluating…",
  summary: "{e} eligible · {n} need information · {i} not eligible", problems: "The record has problems", token: "Bearer token:",
  example: "Uses example values or definitions (placeholders, not the published local standard): ", warnings: "Record warnings", decision: "Decision id (in the decision log, for a later review): ",
  actual: "actual", required: "required", oneOf: "one of", none: "none", listSep: ", ", nameSep: "; ",
  notDetermined: "Not determined ({n}): benefits of the rule pack this result does not decide, and why",
  checklist: "Ask the applicant ({n}; ordered by how many benefits wait on each)", concerns: "for: ", fillIn: "Fill in",
  derived: "Derived facts", exampleValue: " [example value]", memberSubject: "member {id}", memberNamed: "member {id} ({name})", factSep: ": ",
  loaded: "The record is now in the form above: change it there and evaluate again.",
  notLoaded: "Not taken into the form (it has no input or choice for them), so evaluating the form would leave them out: ",
  record: "The record evaluated", recordNote: "Fields left empty were taken as unknown; what to ask about them is listed above.",
  recordPasted: "Evaluated as pasted:", choose: "Choose…",
  inContext: "In the document", noContext: "The text around the quote could not be loaded.",
};
const ZH = {};
for (const root of [document, document.getElementById("member").content]) {
  root.querySelectorAll("[data-i18n]").forEach(el => { ZH[el.dataset.i18n] = el.textContent; });
}
Object.assign(ZH, {
  yes: "是", no: "否", eligible: "符合", ineligible: "不符合", undetermined: "待补充信息", shall: "应当给予",
  may: "可以给予（由经办机构酌定）", planned: "规划目标", amount: "金额", basis: "依据", reasons: "理由", exception: "属于例外情形", ask: "需向申请人询问",
  inContext: "原文上下文", noContext: "未能取得引文所在的原文。",
  caveats: "提示", householdSubject: "全户", working: "正在认定……", summary: "符合 {e} 项 · 待补充信息 {n} 项 · 不符合 {i} 项",
  problems: "记录有问题", warnings: "记录提示", decision: "决定编号（已记入决定日志，复核时凭此查询）：", token: "访问令牌：", example: "用到示例参数或示例定义（不是当地公布的标准）：", unknown: "未知",
  actual: "实际", required: "要求", oneOf: "属于", none: "无", listSep: "、", nameSep: "；",
  notDetermined: "未作认定的待遇（{n} 项）：规则包中本结果未作认定的待遇及原因",
  checklist: "需向申请人询问（{n} 项，涉及待遇多的在前）", concerns: "涉及：", fillIn: "填写",
  derived: "派生事实", exampleValue: " [示例参数]", memberSubject: "成员 {id}", memberNamed: "成员 {id}（{name}）", factSep: "：",
  loaded: "记录已载入上方表单，可在表单中修改后再认定。",
  notLoaded: "以下字段未能载入表单（表单没有相应的输入项或选项），按表单认定时将缺少它们：",
  record: "认定所依据的记录", recordNote: "未填写的项目按“未知”认定，需向申请人询问的事项见上。",
  recordPasted: "按粘贴的原文认定：", choose: "请选择",
});
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
let last = null; // the result shown, re-rendered when the language changes
let lastProblem = null; // or the problem shown
let fromForm = false; // whether the form holds the record of the result shown (entered there, or pasted and taken in whole)
let sent = null; // the record of the result shown, as snapshot() took it, or { raw } as pasted
const t = key => (lang === "en" ? EN : ZH)[key] || key;
const txt = v => (v && typeof v === "object" ? (lang === "en" ? v.en : v.zh) || v.zh || "" : v || "");

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== "") e.append(k.nodeType ? k : String(k));
  return e;
}

function applyLang() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-i18n]").forEach(e => { e.textContent = t(e.dataset.i18n); });
  document.querySelectorAll("select.tri").forEach(fillTri);
  document.title = t("title");
  showLoaded();
  if (last) {
    // The same result in the other language, with the questions ticked as
    // asked still ticked, and the record unfolded if it was.
    const asked = new Set([...document.querySelectorAll("#result li[data-field] input:checked")].map(i => i.closest("li").dataset.field));
    const open = document.querySelector("#result details.record[open]") !== null;
    render(last);
    if (open) document.querySelector("#result details.record").open = true;
    document.querySelectorAll("#result li[data-field]").forEach(li => { if (asked.has(li.dataset.field)) li.querySelector("input[type=checkbox]").checked = true; });
  }
  else if (lastProblem) renderProblem(lastProblem);
}

function fillTri(sel) {
  const v = sel.value;
  sel.replaceChildren(el("option", { value: "" }, t("unknown")), el("option", { value: "true" }, t("yes")), el("option", { value: "false" }, t("no")));
  sel.value = v;
}

function addMember() {
  const node = document.getElementById("member").content.cloneNode(true);
  const fs = node.querySelector("fieldset");
  document.getElementById("members").append(fs);
  fs.querySelectorAll("select.tri").forEach(fillTri);
  fs.querySelector(".remove").addEventListener("click", () => { fs.remove(); renumber(); });
  fs.querySelectorAll("[data-i18n]").forEach(e => { e.textContent = t(e.dataset.i18n); });
  renumber();
}

// renumber names the members M1, M2… in order, except those that keep the
// id of a record taken into the form (the next free number is used).
function renumber() {
  const all = [...document.querySelectorAll("#members fieldset")];
  const given = new Set(all.map(fs => fs.dataset.given).filter(Boolean));
  let n = 0;
  all.forEach(fs => {
    let id = fs.dataset.given;
    while (!id) { const next = "M" + ++n; if (!given.has(next)) id = next; }
    fs.querySelector(".mid").textContent = id;
    fs.dataset.id = id;
  });
}

const named = (root, name) => root.querySelector(`[name="${name}"]`);
const val = (root, name) => { const e = named(root, name); return e ? e.value.trim() : ""; };
const tri = (root, name) => { const v = val(root, name); return v === "" ? undefined : v === "true"; };
const num = (root, name) => { const v = val(root, name); return v === "" ? undefined : Number(v); };
const money = (root, name) => { const v = val(root, name); return v === "" ? undefined : v; };

function prune(o) {
  if (Array.isArray(o)) return o.map(prune);
  if (o && typeof o === "object") {
    const out = {};
    for (const [k, v] of Object.entries(o)) {
      const p = prune(v);
      if (p === undefined) continue;
      if (p && typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return o;
}

// needs reads a member's service needs: those ticked, none when
// "assessed" is ticked alone, and unknown (left out) otherwise.
function needs(fs) {
  const ticked = [...fs.querySelectorAll('[name="needs"]:checked')].map(c => c.value);
  if (ticked.length) return ticked;
  return fs.querySelector('[name="needs_known"]').checked ? [] : undefined;
}

// statuses reads the assistance received: those ticked, once checked.
function statuses(hf) {
  return hf.querySelector('[name="status_known"]').checked ? [...hf.querySelectorAll('[name="status"]:checked')].map(c => c.value) : undefined;
}

// history reads the monthly per-capita incomes (2025-03:760.00; 2025-04:760.00).
function history(hf) {
  const hist = val(hf, "income_history");
  if (!hist) return undefined;
  return hist.split(/[;；\n]/).map(s => s.trim()).filter(Boolean).map(s => { const [m, a] = s.split(/[:：]/); return { month: m.trim(), per_capita_income: (a || "").trim() }; });
}

const text = (root, name) => val(root, name) || undefined;

// formFields is the form, field by field: for each field of the record (the
// household's, and each member's after members[i].), the input's name and
// how it is read. record() builds the household from it, and a checklist
// question's button finds its input by it; TestWebFormCoversTheRecord checks
// it against the record's schema.
const formFields = {
  household: {
    residence: ["residence", text], property_test: ["property_test", text], hardship_assessed: ["hardship_assessed", tri],
    status: ["status", statuses], income_history: ["income_history", history],
    "housing.dilapidated": ["dilapidated", tri], "housing.can_self_fund": ["can_self_fund", tri],
    "housing.seeking_public_rental": ["seeking_public_rental", tri],
    "housing.needs_accessibility_renovation": ["needs_accessibility_renovation", tri],
  },
  member: {
    name: ["name", text], citizen_id: ["citizen_id", text], relation: ["relation", text], birth_date: ["birth_date", text], age: ["age", num],
    disabled: ["disabled", tri], "disability.category": ["category", text], "disability.grade": ["grade", num],
    "disability.certificate_no": ["certificate_no", text], "disability.certificate_valid": ["certificate_valid", tri],
    "disability.lower_limb": ["lower_limb", tri], "disability.autism": ["autism", tri],
    "care.needed": ["care_needed", tri], "care.long_term": ["care_long_term", tri], "care.months": ["care_months", num],
    "employment.status": ["employment_status", text], "employment.costs": ["costs", money], "employment.sheltered": ["sheltered", tri],
    "income.wages": ["wages", money], "income.business": ["business", money], "income.pension": ["pension", money],
    "income.other": ["other", money], "income.living_allowance": ["living_allowance", money],
    "income.care_subsidy": ["care_subsidy", money], "income.other_assistance": ["other_assistance", money],
    work_capacity: ["work_capacity", text], stable_work_income: ["stable_work_income", tri],
    tekun: ["tekun", tri], orphan_guarantee: ["orphan_guarantee", tri], work_injury_care_allowance: ["work_injury_care_allowance", tri],
    other_welfare_subsidy: ["other_welfare_subsidy", tri], family_support: ["family_support", tri],
    "insurance.resident_pension": ["resident_pension", tri], "insurance.resident_medical": ["resident_medical", tri],
    "education.stage": ["edu_stage", text], "education.economic_hardship": ["economic_hardship", tri],
    "education.graduating_from": ["graduating_from", text], "education.graduating_year": ["graduating_year", num],
    "education.in_internship": ["in_internship", tri], needs: ["needs", needs],
  },
};

// fill reads a part of the form (formFields.household or .member) from root
// into o, a field such as care.months into o.care.months.
function fill(o, root, fields) {
  for (const [field, [name, read]] of Object.entries(fields)) {
    const path = field.split(".");
    let at = o;
    for (const k of path.slice(0, -1)) at = at[k] = at[k] || {};
    at[path[path.length - 1]] = read(root, name);
  }
  return o;
}

// record builds the household from the form.
function record() {
  const f = document.getElementById("form");
  const h = fill({ id: val(f, "id"), jurisdiction: val(f, "jurisdiction") }, f.querySelector("fieldset.household"), formFields.household);
  h.members = [...document.querySelectorAll("#members fieldset")].map(fs => fill({ id: fs.dataset.id }, fs, formFields.member));
  return prune(h);
}

// snapshot takes the record evaluated from the form in the form's own words,
// field by field in the form's order, leaving out the fields left empty
// (unknown): each label, and each choice, by its key in EN/ZH where it has
// one, so that a language switch rewords it. The result shows it, and its
// printout for the case file holds it.
function snapshot() {
  const f = document.getElementById("form");
  const reads = fields => new Map(Object.values(fields));
  const part = (root, byName) => [...new Set([...root.querySelectorAll("[name]")].map(e => e.name))]
    .filter(name => byName.has(name)).map(name => entry(root, name, byName.get(name))).filter(Boolean);
  return {
    household: part(f.querySelector("fieldset.household"), new Map([["id", text], ["jurisdiction", text], ["as_of", text], ...reads(formFields.household)])),
    members: [...document.querySelectorAll("#members fieldset")].map(fs => ({ id: fs.dataset.id, name: val(fs, "name"), fields: part(fs, reads(formFields.member)) })),
  };
}

// entry is one field of a snapshot: its label, and its value as words
// (keys) or as written (text); undefined when it is left empty.
function entry(root, name, read) {
  const v = read(root, name);
  if (v === undefined) return undefined;
  const e = named(root, name);
  if (read === statuses || read === needs) {
    return { label: e.closest(".statuses, .needs").querySelector(":scope > span").dataset.i18n,
      keys: [...root.querySelectorAll(`[name="${name}"]:checked`)].map(b => b.nextElementSibling.dataset.i18n) };
  }
  const label = e.closest("label").querySelector("span[data-i18n]").dataset.i18n;
  if (e.classList.contains("tri")) return { label, keys: [v ? "yes" : "no"] };
  const o = e.tagName === "SELECT" ? e.selectedOptions[0] : null;
  if (o && o.dataset.i18n) return { label, keys: [o.dataset.i18n] };
  return { label, text: o ? o.textContent : e.value.trim() };
}

// Taking a pasted record into the form. Each writer puts a value as one
// reader of formFields would read it back, and says whether the form holds
// it now; a name a record may give instead of a code (户主, 二级, 是) is
// put as the code, by the server's own tables (/labels.json).
const code = (path, v) => {
  if (typeof v !== "string") return v;
  const s = v.trim();
  const names = labels.names || {};
  return (names[path] || names[path + "[]"] || {})[s] || s;
};

// put sets an input, a select only to one of its choices.
function put(e, v) {
  if (!e || (e.tagName === "SELECT" && ![...e.options].some(o => o.value === v))) return false;
  e.value = v;
  return e.value === v;
}

// ticks ticks the checkboxes of the values listed, and the box that says
// the list was checked (none ticked then means none).
function ticks(root, name, list, path, known) {
  if (!Array.isArray(list)) return false;
  const boxes = [...root.querySelectorAll(`[name="${name}"]`)];
  const want = list.map(v => code(path, v));
  boxes.forEach(b => { b.checked = want.includes(b.value); });
  named(root, known).checked = true;
  return want.every(w => boxes.some(b => b.value === w));
}

// yuan writes an amount as the form's money inputs take it: a JSON number
// with whole fen as 900.00, anything else as it was given.
const yuan = v => (typeof v === "number" && Number.isFinite(v) && Math.round(v * 100) === v * 100 ? v.toFixed(2) : String(v));

const writers = new Map([
  [text, (root, name, v, path) => put(named(root, name), String(code(path, v)))],
  [tri, (root, name, v) => {
    const b = typeof v === "string" ? (labels.flags || {})[v.trim()] : v;
    return typeof b === "boolean" && put(named(root, name), String(b));
  }],
  [num, (root, name, v, path) => {
    const grade = path === "members[].disability.grade" && typeof v === "string" && (labels.grades || {})[v.trim()];
    return put(named(root, name), String(grade || (typeof v === "string" ? v.trim() : v)));
  }],
  [money, (root, name, v) => put(named(root, name), yuan(v))],
  [statuses, (root, name, v, path) => ticks(root, name, v, path, "status_known")],
  [needs, (root, name, v, path) => ticks(root, name, v, path, "needs_known")],
  [history, (root, name, v) => Array.isArray(v) && v.every(e => e && e.month !== undefined && e.per_capita_income !== undefined) &&
    put(named(root, name), v.map(e => `${e.month}:${e.per_capita_income}`).join("; "))],
]);

// clear leaves an input unknown.
function clear(root, name, read) {
  if (read === statuses || read === needs) {
    root.querySelectorAll(`[name="${name}"]`).forEach(b => { b.checked = false; });
    named(root, read === statuses ? "status_known" : "needs_known").checked = false;
  } else {
    named(root, name).value = "";
  }
}

// place puts the fields of o (the household, or one member) into root, and
// adds to bad, as paths in the record (where + field), each field the form
// could not take: a value it has no choice for, or a field it has no input for.
function place(root, fields, o, where, enumPath, skip, bad) {
  for (const [field, [name, read]] of Object.entries(fields)) {
    const v = field.split(".").reduce((x, k) => (x === null || x === undefined ? undefined : x[k]), o);
    if (v === null || v === undefined) clear(root, name, read);
    else if (!writers.get(read)(root, name, v, enumPath + field)) { clear(root, name, read); bad.push(where + field); }
  }
  const unknown = (x, prefix) => {
    for (const [k, v] of Object.entries(x)) {
      const f = prefix + k;
      if (skip.includes(f) || f in fields || v === null) continue;
      if (typeof v === "object" && !Array.isArray(v)) unknown(v, f + ".");
      else bad.push(where + f);
    }
  };
  unknown(o, "");
}

// load puts a record into the form in place of what it held, and returns
// the fields it could not take (see place); the record's member ids are kept.
function load(rec) {
  const f = document.getElementById("form");
  const bad = [];
  for (const name of ["id", "as_of"]) {
    if (!put(named(f, name), rec[name] === undefined || rec[name] === null ? "" : String(rec[name]))) bad.push(name);
  }
  const j = document.getElementById("jurisdiction");
  if (typeof rec.jurisdiction === "string" && ![...j.options].some(o => o.value === rec.jurisdiction)) {
    j.append(el("option", { value: rec.jurisdiction }, rec.jurisdiction)); // the server says whether it knows it
  }
  if (!put(j, String(rec.jurisdiction))) bad.push("jurisdiction");
  place(f.querySelector("fieldset.household"), formFields.household, rec, "", "",
    ["$schema", "schema_version", "id", "jurisdiction", "as_of", "members"], bad);
  document.getElementById("members").replaceChildren();
  if (rec.members !== undefined && rec.members !== null && !Array.isArray(rec.members)) bad.push("members");
  (Array.isArray(rec.members) ? rec.members : []).forEach((m, i) => {
    addMember();
    const fs = document.querySelector("#members fieldset:last-of-type");
    if (m && typeof m === "object") {
      if (typeof m.id === "string" && m.id) fs.dataset.given = m.id;
      place(fs, formFields.member, m, `members[${i}].`, "members[].", ["id"], bad);
    } else {
      bad.push(`members[${i}]`);
    }
  });
  renumber();
  return bad;
}

// pasted takes the pasted text into the form, and says so under the text
// box: what the form now holds, or what it could not take. It takes the
// record as the server reads it (/v1/validate: JSON or YAML, each name given
// as its code, the jurisdiction by its code); a record the server refuses,
// as far as the form can take it, when it is JSON (the server names the
// mistakes when it is evaluated).
let loaded = null; // the fields the form could not take, or null
async function pasted(text) {
  let rec = await asRead(text);
  if (!rec) {
    try { rec = JSON.parse(text); } catch (e) { /* neither: the server names the mistake */ }
  }
  loaded = rec && typeof rec === "object" && !Array.isArray(rec) ? load(rec) : null;
  showLoaded();
  return loaded !== null && loaded.length === 0;
}

// asRead is a pasted record as the server reads it, or null when the server
// refuses it (or cannot be asked).
async function asRead(text) {
  const type = text.trimStart().startsWith("{") ? "application/json" : "application/yaml";
  try {
    const r = await api("/v1/validate", { method: "POST", headers: { "Content-Type": type }, body: text });
    if (r.ok) return (await r.json()).household;
  } catch (e) {
    // not asked: taken as JSON, if it is
  }
  return null;
}

function showLoaded() {
  const p = document.getElementById("loaded");
  p.textContent = loaded === null ? "" : loaded.length ? t("notLoaded") + loaded.join(t("listSep")) : t("loaded");
  p.className = loaded && loaded.length ? "note partial" : "note";
}

async function api(path, opts) {
  const headers = Object.assign({}, (opts && opts.headers) || {});
  const token = sessionStorage.getItem("entitle-token");
  if (token) headers.Authorization = "Bearer " + token;
  let r = await fetch(path, Object.assign({}, opts, { headers }));
  if (r.status === 401) {
    const tok = prompt(t("token"));
    if (tok) { sessionStorage.setItem("entitle-token", tok); return api(path, opts); }
  }
  return r;
}

// evaluate posts a record and shows the answer; asOf, when given, is the
// date to evaluate on (the form's), else the record's own or today.
async function evaluate(body, asOf) {
  const out = document.getElementById("result");
  out.replaceChildren(el("p", { class: "working" }, t("working")));
  const q = asOf ? "?as_of=" + encodeURIComponent(asOf) : "";
  let r, data;
  try {
    r = await api("/v1/evaluate" + q, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    data = await r.json();
  } catch (e) {
    // No answer, or not the server's (a proxy's error page): say so, not 正在认定 for ever.
    data = { title: "The server could not be reached, or did not answer with a result", title_zh: "无法连接认定服务，或服务未返回认定结果",
      detail: (r ? `HTTP ${r.status}. ` : "") + "Check the connection and try again.", detail_zh: (r ? `HTTP ${r.status}。` : "") + "请检查网络连接后重试。" };
    r = { ok: false };
  }
  if (!r.ok) { last = null; lastProblem = data; renderProblem(data); return; }
  data.decisionId = r.headers.get("X-Decision-Id"); // when the server keeps a decision log
  last = data;
  lastProblem = null;
  render(data);
}

// renderProblem lists a record's problems: the field in words and the kind
// of problem in the page's language, then the code and the place, then the
// message with the value given in the page's language, and the field's
// path in the record in small print.
function renderProblem(p) {
  const out = document.getElementById("result");
  const errors = p.errors || [];
  const list = el("ul", {}, errors.map(problemItem));
  // A record's problems (S422) under one heading; any other problem (the
  // server busy, the record too large, a token wanted…) by its own title.
  const zh = lang === "zh";
  const children = [el("h2", {}, errors.length ? t("problems") : ((zh && p.title_zh) || p.title))];
  if (!errors.length) children.push(el("p", {}, (zh && p.detail_zh) || p.detail || ""));
  out.replaceChildren(el("div", { class: "problem", role: "alert" }, ...children, list));
}

// problemItem is one problem of a record (or a warning about it).
function problemItem(e) {
  const what = txt(e.summary);
  const where = e.label ? txt(e.label) : (e.field || "");
  const at = e.line ? (lang === "zh" ? `，第 ${e.line} 行第 ${e.column} 列` : `, line ${e.line}:${e.column}`) : "";
  const head = [where, what].filter(Boolean).join(lang === "zh" ? "：" : ": ");
  return el("li", { "data-code": e.code }, el("strong", {}, head || e.code),
    el("span", {}, lang === "zh" ? `（${e.code}${at}）` : ` (${e.code}${at})`),
    el("br", {}), el("span", { class: "message" }, (lang === "zh" && e.message_zh) || e.message),
    e.field ? el("small", {}, ` ${e.field}`) : "");
}

function render(res) {
  const out = document.getElementById("result");
  const counts = { eligible: 0, undetermined: 0, ineligible: 0 };
  res.determinations.forEach(d => { counts[d.status]++; });
  const head = el("div", { class: "summary" },
    el("h2", {}, `${res.household} · ${txt(res.jurisdiction.name)}（${res.jurisdiction.code}） · ${res.as_of}`),
    el("p", {}, t("summary").replace("{e}", counts.eligible).replace("{n}", counts.undetermined).replace("{i}", counts.ineligible)),
    el("p", { class: "pack" }, `${res.rule_pack.id} ${res.rule_pack.version} ${res.rule_pack.hash.slice(0, 19)}…`));
  if (res.decisionId) head.append(el("p", { class: "decision" }, t("decision"), el("code", {}, res.decisionId)));
  if (res.example_values && res.example_values.length) head.append(el("p", { class: "example" }, t("example") + res.example_values.map(paramName).join(t("nameSep"))));
  if (res.warnings && res.warnings.length) {
    head.append(el("div", { class: "warnings", role: "note" }, el("h3", {}, t("warnings")), el("ul", {}, res.warnings.map(problemItem))));
  }
  const order = { eligible: 0, undetermined: 1, ineligible: 2 };
  const dets = [...res.determinations].sort((a, b) => order[a.status] - order[b.status]);
  const cards = dets.map(card);
  out.replaceChildren(head);
  if (res.derived && res.derived.length) out.append(derived(res.derived));
  if (sent) out.append(recordSection(sent));
  if (res.checklist && res.checklist.length) out.append(checklist(res.checklist, res.determinations));
  out.append(el("div", { class: "cards" }, cards));
  if (res.not_determined && res.not_determined.length) out.append(notDetermined(res.not_determined));
}

// who names a determination's or a fact's subject as the text report does:
// 全户, or 成员 M1 with the member's name in the record evaluated (sent),
// not as the form may have been changed since.
function who(subject) {
  if (subject === "household") return t("householdSubject");
  const m = sent && sent.members && sent.members.find(x => x.id === subject);
  return memberLabel(subject, m ? m.name : "");
}

// memberLabel is 成员 M3（王芳）, or 成员 M3 without a name.
const memberLabel = (id, name) => t(name ? "memberNamed" : "memberSubject").replace("{id}", id).replace("{name}", name);

// derived lists the facts worked out from the record (the household's size
// and counted income, the local standard, each member's age…), worded as the
// text report's 派生事实: what the determinations compared.
function derived(facts) {
  const grouped = fen => (fen / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return el("section", { class: "derived" }, el("h3", {}, t("derived")), el("dl", {}, facts.map(f => {
    let v = f.unit === "元/月" && typeof f.value === "number" ? grouped(f.value) : valueName(f.display);
    if (f.display !== "unknown") v += (f.unit ? " " + unitName(f.unit) : "") + (f.example ? t("exampleValue") : "");
    return [el("dt", {}, (f.member ? who(f.member) + t("factSep") : "") + txt(f.label)), el("dd", { "data-name": f.name }, v)];
  }).flat()));
}

// recordSection shows the record evaluated, folded on the screen (the form
// is above it) and unfolded for printing: the form's fields as the
// caseworker entered them, member by member, or the text as pasted when the
// form could not take it all.
function recordSection(r) {
  const body = r.raw !== undefined ? [el("p", { class: "note" }, t("recordPasted")), el("pre", {}, r.raw)] : [
    el("p", { class: "note" }, t("recordNote")), fieldList(r.household),
    r.members.map(m => [el("h4", {}, memberLabel(m.id, m.name)), fieldList(m.fields)]),
  ];
  return el("details", { class: "record" }, el("summary", {}, t("record")), ...body.flat());
}

// fieldList is a snapshot's fields as label and value.
function fieldList(fields) {
  const words = x => (x.keys ? (x.keys.length ? x.keys.map(t).join(t("listSep")) : t("none")) : x.text);
  return el("dl", {}, fields.map(x => [el("dt", {}, t(x.label)), el("dd", {}, words(x))]).flat());
}

// checklist is the household's questions: each missing fact once, with the
// benefits that wait on it, those more benefits wait on first (the result's
// order). When the form holds the record, each question has a button that
// goes to its field.
function checklist(list, dets) {
  const names = {};
  dets.forEach(d => { names[d.benefit] = txt(d.benefit_name); });
  return el("section", { class: "checklist" },
    el("h3", {}, t("checklist").replace("{n}", list.length)),
    el("ul", {}, list.map(q => {
      const input = fromForm ? formInput(q.field) : null;
      return el("li", { "data-field": q.field },
        el("label", {}, el("input", { type: "checkbox" }), " ", txt(q.label) || q.field),
        input ? el("button", { type: "button", class: "goto" }, t("fillIn")) : "",
        el("small", {}, t("concerns") + q.benefits.map(b => names[b] || b).join(t("listSep"))));
    })));
}

// formInput finds the form's input for a record field (members[0].care.months,
// housing.dilapidated), or null.
function formInput(field) {
  const m = /^members\[(\d+)\]\.(.+)$/.exec(field);
  if (m) {
    const fs = document.querySelectorAll("#members fieldset")[Number(m[1])];
    const f = formFields.member[m[2]];
    return fs && f ? fs.querySelector(`[name="${f[0]}"]`) : null;
  }
  const f = formFields.household[field];
  return f ? document.querySelector(`#form fieldset.household [name="${f[0]}"]`) : null;
}

// goTo shows a question's input: opens the section it is folded in,
// scrolls to it and focuses it.
function goTo(field) {
  const input = formInput(field);
  if (!input) return;
  const more = input.closest("details");
  if (more) more.open = true;
  input.scrollIntoView({ block: "center" });
  input.focus();
}

// notDetermined lists the benefits of the rule pack that the result does
// not determine, each with why: no clause in the local documents, a clause
// left out (quoted), no rule in force on the date, or no member it is for.
function notDetermined(list) {
  return el("section", { class: "not-determined" },
    el("h3", {}, t("notDetermined").replace("{n}", list.length)),
    el("ul", {}, list.map(n => el("li", { "data-benefit": n.benefit, "data-why": n.why },
      el("strong", {}, txt(n.benefit_name)), " ", el("small", {}, n.benefit), " ", txt(n.text),
      n.citations && n.citations.length ? citationList(n.citations) : ""))));
}

// citationList shows citations: the document's title, number and section,
// and the quote; opened, "in the document" shows the sentence the quote
// stands in (from GET /v1/rules/{id}).
function citationList(cs) {
  return el("ul", { class: "citations" }, cs.map(x => el("li", {},
    el("cite", {}, `《${x.title}》${x.number ? "（" + x.number + "）" : ""} ${x.section || ""}`), el("q", {}, x.quote),
    x.provenance === "secondary" ? el("small", {}, lang === "en" ? " [secondary source]" : " [二手来源]") : "",
    x.rule ? inContext(x) : "")));
}

// inContext is a citation's "in the document": folded until opened, then
// the quote marked in the sentence of its document it stands in (the
// server's sentence_before and sentence_after).
function inContext(x) {
  const d = el("details", { class: "in-context", "data-rule": x.rule }, el("summary", {}, t("inContext")));
  d.addEventListener("toggle", async () => {
    if (!d.open || d.dataset.loaded) return;
    d.dataset.loaded = "1";
    const p = el("p", { class: "context" }, t("working"));
    d.append(p);
    try {
      const r = await api("/v1/rules/" + encodeURIComponent(x.rule));
      const c = r.ok ? ((await r.json()).rule.citations || []).find(c => c.doc === x.doc && c.quote === x.quote) : null;
      if (!c) { p.textContent = t("noContext"); return; }
      p.replaceChildren(c.sentence_before || "", el("mark", {}, c.quote), c.sentence_after || "");
    } catch (e) {
      p.textContent = t("noContext");
    }
  });
  return d;
}


function card(d) {
  const c = el("article", { class: "card " + d.status, "data-benefit": d.benefit, "data-subject": d.subject },
    el("h3", {}, el("span", { class: "badge" }, t(d.status)), " ", txt(d.benefit_name), " ", el("small", {}, `${d.benefit} · ${who(d.subject)}`)));
  if (d.modality) c.append(el("p", { class: "modality" }, t(d.modality)));
  if (d.amount) c.append(el("p", { class: "amount" }, `${t("amount")}：${d.amount.yuan} 元/${d.amount.per === "month" ? (lang === "en" ? "month" : "月") : d.amount.per}`));
  if (d.period) c.append(el("p", { class: "period" }, `${d.period.from} – ${d.period.to}`));
  if (d.reasons && d.reasons.length) {
    c.append(el("h4", {}, t("reasons")), el("ul", { class: "reasons" }, uniqueByText(d.reasons.map(reasonItem))));
  }
  if (d.missing && d.missing.length) {
    c.append(el("h4", {}, t("ask")), el("ul", { class: "missing" }, d.missing.map(m => el("li", { "data-field": m.field }, el("label", {}, el("input", { type: "checkbox" }), " ", txt(m.label) || m.field)))));
  }
  if (d.citations && d.citations.length) c.append(el("h4", {}, t("basis")), citationList(d.citations));
  const notes = [...new Set((d.caveats || []).map(x => txt(x.text)).filter(Boolean))];
  if (notes.length) c.append(el("h4", {}, t("caveats")), el("ul", { class: "caveats" }, notes.map(n => el("li", {}, n))));
  return c;
}

// reasonItem is one reason a benefit is refused: a condition not met, or
// an exception that applies (effect deny), which says so.
function reasonItem(r) {
  if (r.effect === "deny") {
    return el("li", { class: "exception" }, txt(r.label) + (lang === "en" ? " — " : " —— ") + t("exception") + reasonDetail(r));
  }
  return el("li", {}, txt(r.label) + reasonDetail(r));
}

// uniqueByText keeps the first of items that read the same: a requirement
// stated by several rules is shown once, as in the text report.
function uniqueByText(items) {
  const seen = new Set();
  return items.filter(li => !seen.has(li.textContent) && seen.add(li.textContent));
}

// labels names the record's enum codes, the units and the rule pack's
// parameters and definitions, [Chinese, English], from /labels.json (the
// tables the text report uses); until it has loaded, codes show as they are.
let labels = { values: {}, units: {}, params: {} };
const pick = pair => (pair ? pair[lang === "en" ? 1 : 0] : undefined);
const unitName = u => { const n = pick(labels.units[u]); return n === undefined ? u || "" : n; };
const paramName = p => pick((labels.params || {})[p]) || p;

// valueName shows a value as a reader says it: 是/否, 非劳动力 for
// not_in_labour_force, a list as 失业、自主创业.
function valueName(v) {
  if (v === "true") return t("yes");
  if (v === "false") return t("no");
  if (v === "unknown") return t("unknown");
  if (typeof v === "string" && v.startsWith("[") && v.endsWith("]")) {
    const inner = v.slice(1, -1);
    if (inner === "") return t("none");
    return inner.split(", ").map(valueName).join(t("listSep"));
  }
  const n = pick(labels.values[v]);
  return n === undefined ? v : n;
}

// reasonDetail shows what a failed condition compared, or the facts it
// read, worded as the text report words them.
function reasonDetail(r) {
  const en = lang === "en";
  const withUnit = (v, u) => { const n = unitName(u); return n ? `${valueName(v)} ${n}` : valueName(v); };
  if (r.op && r.actual !== undefined) {
    const op = r.op === "in" ? t("oneOf") : r.op;
    const cmp = `${t("actual")} ${withUnit(r.actual, r.unit)}${en ? ", " : "，"}${t("required")} ${op} ${withUnit(r.expected, r.unit)}`;
    return en ? ` (${cmp})` : `（${cmp}）`;
  }
  if (r.facts && r.facts.length) {
    const parts = r.facts.map(f => `${txt(f.label)} ${withUnit(f.value, f.unit)}`);
    return en ? ` (${t("actual")}: ${parts.join("; ")})` : `（${t("actual")}：${parts.join("；")}）`;
  }
  return "";
}

async function loadLabels() {
  try {
    const r = await fetch("/labels.json");
    if (r.ok) labels = await r.json();
  } catch (e) {
    // codes and units then show as they are
  }
}

// loadJurisdictions lists the pack's jurisdictions to choose from: none is
// chosen until the caseworker chooses, and the page then remembers the
// office's choice for the next household (in this browser).
async function loadJurisdictions() {
  const r = await api("/v1/jurisdictions");
  if (!r.ok) return;
  const data = await r.json();
  const sel = document.getElementById("jurisdiction");
  sel.replaceChildren(el("option", { value: "", "data-i18n": "choose" }, t("choose")),
    ...data.jurisdictions.map(j => el("option", { value: j.code }, `${j.code} ${j.name.zh} ${j.name.en}`)));
  const mine = localStorage.getItem("entitle-jurisdiction");
  if (mine && [...sel.options].some(o => o.value === mine)) sel.value = mine;
}

document.getElementById("add").addEventListener("click", addMember);
document.getElementById("jurisdiction").addEventListener("change", e => {
  if (e.target.value) localStorage.setItem("entitle-jurisdiction", e.target.value);
});
document.getElementById("result").addEventListener("click", e => {
  const b = e.target.closest("button.goto");
  if (b) goTo(b.closest("li").dataset.field);
});
// A question ticked as asked, in the checklist or on a card, is ticked
// wherever else it is asked.
document.getElementById("result").addEventListener("change", e => {
  const li = e.target.type === "checkbox" && e.target.closest("li[data-field]");
  if (!li) return;
  document.querySelectorAll("#result li[data-field]").forEach(other => {
    if (other.dataset.field === li.dataset.field) other.querySelector("input[type=checkbox]").checked = e.target.checked;
  });
});
document.getElementById("lang").addEventListener("click", () => { lang = lang === "en" ? "zh" : "en"; applyLang(); });
document.getElementById("print").addEventListener("click", () => window.print());
// A printout for the case file holds the record it rests on.
window.addEventListener("beforeprint", () => document.querySelectorAll("#result details.record").forEach(d => { d.open = true; }));
document.getElementById("form").addEventListener("submit", e => {
  e.preventDefault();
  fromForm = true;
  loaded = null;
  showLoaded();
  sent = snapshot();
  evaluate(JSON.stringify(record()), val(e.target, "as_of"));
});
// A pasted record is evaluated as it was pasted, on its own date (not one
// left in the form), and taken into the form, where the checklist's buttons
// lead and the caseworker can go on.
document.getElementById("submitJSON").addEventListener("click", async () => {
  const text = document.getElementById("json").value;
  await ready; // the names a record may give, and the jurisdictions
  fromForm = await pasted(text);
  sent = fromForm ? snapshot() : { raw: text };
  evaluate(text, "");
});
addMember();
const ready = Promise.all([loadLabels(), loadJurisdictions()]).then(applyLang);
