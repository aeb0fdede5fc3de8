// Hostile content and no network, in the real browser. Every byte of an audit export is
// attacker-influenced: fields holding <script>, <img onerror>, javascript:/data: URLs, CSS, RTL
// overrides, zero-width characters, 20 KB tokens and spreadsheet formulas must show as inert text —
// no dialog, no script, no request, no broken layout — and a whole session (load, search, detail,
// context, views, report, export, case file) must not make one request beyond the page's own files.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadSampleAndCheck, ROOT, screenshot, SINGLE_FILE, useServedSite } from "./helpers.mjs";

const HOSTILE = path.join(ROOT, "tests/fixtures/hostile-ocore.json");

let browser;
let origin;
useServedSite((s) => ({ browser, origin } = s));

/** A page that records every request (page, worker, iframes), dialog, error and CSP violation. */
async function open(url, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true, ...opts });
  const seen = { requests: [], problems: [] };
  context.on("request", (r) => seen.requests.push(r.url()));
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on("dialog", (d) => {
    seen.problems.push(`dialog: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => seen.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && seen.problems.push(`console.error: ${m.text()}`));
  page.on("popup", (p) => seen.problems.push(`popup: ${p.url()}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { context, page, seen };
}

async function loadHostile(page) {
  await page.getByTestId("file-input").setInputFiles(HOSTILE);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="result-count"]').dataset.total) > 0, null, { timeout: 30_000 });
  await page.waitForTimeout(300);
}

async function assertInert(page, seen, where) {
  assert.deepEqual(seen.problems, [], `${where}: no dialog, error or popup`);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], `${where}: no CSP violation`);
  // The only scripts are the page's own; no element carries an event handler attribute.
  const injected = await page.evaluate(() => ({
    scripts: [...document.scripts].map((s) => s.src || "inline").filter((s) => !/\/app\.js$/.test(s) && s !== "inline"),
    handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    imgs: document.querySelectorAll("img, svg, iframe:not([data-testid=report-preview]), object, embed, a[href^='javascript:']").length,
  }));
  assert.deepEqual(injected, { scripts: [], handlers: 0, imgs: 0 }, `${where}: nothing injected`);
  // Layout: nothing wider than the viewport.
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    table: document.querySelector('[data-testid="results"]').getBoundingClientRect().width,
    view: window.innerWidth,
  }));
  assert.ok(widths.doc <= widths.view && widths.table <= widths.view, `${where}: layout within the viewport ${JSON.stringify(widths)}`);
}

/** Parses RFC 4180 CSV. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

test("hostile content renders as inert text in the grid, facets, detail, views, report and export", { timeout: 150_000 }, async () => {
  const { context, page, seen } = await open(`${origin}/`);
  try {
    await loadHostile(page);
    // Literal text in the grid.
    const actors = await page.locator('[data-testid="result-row"] td.col-actor').allTextContents();
    assert.ok(actors.includes("<script>alert('xss-actor')</script>@evil.example"), `the script tag shows as text: ${actors}`);
    assert.ok(actors.some((a) => a.includes("⟨U+202E⟩")), "the RTL override is shown, not applied");
    const uas = await page.locator('[data-testid="facet-user_agent"], [data-testid="facet-ua"]').count();
    assert.ok(uas >= 0);
    await screenshot(page, "hostile-grid");
    await assertInert(page, seen, "grid");

    // Every event's detail: fields, original record, diff.
    const n = Number(await page.getByTestId("result-count").getAttribute("data-total"));
    for (let i = 0; i < n; i++) {
      await page.locator(`[data-testid="result-row"][data-row="${i}"]`).click();
      const detail = page.getByTestId("event-detail");
      await detail.waitFor({ state: "visible" });
      await page.waitForFunction((r) => document.querySelector('[data-testid="event-detail"]').dataset.index !== undefined, i);
      const box = await detail.boundingBox();
      assert.ok(box.x + box.width <= 1280 + 1, "the detail panel stays in the viewport");
      if (i === 0) {
        assert.match(await detail.getByTestId("detail-original").textContent(), /<script>alert\('xss-actor'\)<\/script>/);
        assert.match(await detail.getByTestId("detail-diff").textContent(), /owner<script>alert\('diff'\)<\/script>/);
        await detail.getByTestId("context-all").click();
        await detail.locator(".mini-event").first().waitFor();
        await screenshot(page, "hostile-detail");
      }
      await page.keyboard.press("Escape");
    }
    await assertInert(page, seen, "detail");

    for (const v of ["view-lanes-actor", "view-lanes-target", "view-sessions"]) {
      await page.getByTestId(v).click();
      await page.waitForTimeout(300);
      await assertInert(page, seen, v);
    }
    await page.getByTestId("view-events").click();

    // Stats table with hostile values.
    await page.getByTestId("query").fill("* | stats count by actor");
    await page.getByTestId("query").press("Enter");
    await page.waitForFunction(() => !document.querySelector('[data-testid="stats-table"]').hidden);
    assert.match(await page.getByTestId("stats-table").textContent(), /<svg|<script>/);
    await page.getByTestId("query").fill("");
    await page.getByTestId("query").press("Enter");
    await page.waitForTimeout(300);

    // Report preview: the sandboxed iframe shows the values as text.
    await page.locator('[data-testid="result-row"]').first().getByTestId("star").click();
    await page.getByTestId("report-open").click();
    await page.getByTestId("report-notes").fill("<img src=x onerror=alert('notes')> [x](javascript:alert(1))");
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await frame.locator("body", { hasText: "<img src=x onerror=alert('notes')>" }).waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator("script, img, svg, iframe, object, embed").count(), 0, "nothing active in the report");
    await screenshot(page, "hostile-report");
    await page.getByTestId("report-close").click();
    await assertInert(page, seen, "report");

    // CSV export: formulas neutralized.
    const [dl] = await Promise.all([
      page.waitForEvent("download"),
      (async () => {
        await page.locator('[data-testid="export"] summary').click();
        await page.getByTestId("export-csv").click();
      })(),
    ]);
    const rows = parseCsv(fs.readFileSync(await dl.path(), "utf8"));
    const cells = rows.flat();
    assert.ok(cells.some((c) => c.startsWith("'=HYPERLINK")), "the formula is kept, neutralized");
    assert.deepEqual(cells.filter((c) => /^[=+@\t\r]/.test(c)), [], "no cell starts like a formula");
    assert.deepEqual(seen.requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob|about):/.test(u)), []);
  } finally {
    await context.close();
  }
});

const FULL_SESSION = async (page) => {
  await loadSampleAndCheck(page, "no-network");
  await page.getByTestId("file-input").setInputFiles(HOSTILE);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-summary"]').length === 5, null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding"]').length > 0);
  for (const q of ["outcome:failure", "action:auth.*", "ip:10.0.0.0/8 OR evil", "* | stats count by actor", ""]) {
    await page.getByTestId("query").fill(q);
    await page.getByTestId("query").press("Enter");
    await page.waitForTimeout(250);
  }
  await page.locator('[data-testid="result-row"]').first().click();
  await page.getByTestId("event-detail").waitFor({ state: "visible" });
  await page.getByTestId("context-all").click();
  await page.keyboard.press("Escape");
  await page.locator('[data-testid="finding"] [data-testid="finding-evidence"]').first().click();
  await page.waitForTimeout(300);
  await page.locator('[data-testid="result-row"]').first().getByTestId("star").click();
  await page.getByTestId("view-lanes-ip").click();
  await page.getByTestId("view-sessions").click();
  await page.getByTestId("view-notes").click();
  await page.getByTestId("view-events").click();
  await page.getByTestId("report-open").click();
  await page.frameLocator('[data-testid="report-preview"]').locator("h1").first().waitFor({ timeout: 20_000 });
  for (const id of ["report-download-md", "report-download-html", "report-download-json"]) {
    await Promise.all([page.waitForEvent("download"), page.getByTestId(id).click()]);
  }
  await page.getByTestId("report-close").click();
  for (const kind of ["csv", "ndjson", "ocsf", "ecs", "timesketch"]) {
    await Promise.all([
      page.waitForEvent("download"),
      (async () => {
        await page.locator('[data-testid="export"] summary').click();
        await page.getByTestId(`export-${kind}`).click();
      })(),
    ]);
  }
  await page.locator('[data-testid="case-menu"] summary').click();
  await Promise.all([page.waitForEvent("download"), page.getByTestId("case-save").click()]);
};

test("no network: a full session on the served page requests nothing beyond the local server", { timeout: 180_000 }, async () => {
  const { context, page, seen } = await open(`${origin}/`);
  try {
    await FULL_SESSION(page);
    assert.deepEqual(seen.problems, []);
    assert.deepEqual(await page.evaluate(() => window.__violations), [], "no CSP violation");
    const outside = seen.requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob|about):/.test(u));
    assert.deepEqual(outside, [], "every request went to the local server");
    assert.ok(seen.requests.some((u) => u.endsWith("/pkg/auditlens_wasm_bg.wasm")), "requests were recorded");
  } finally {
    await context.close();
  }
});

test("no network: the single file from file:// requests nothing but itself", { timeout: 180_000 }, async () => {
  const url = pathToFileURL(SINGLE_FILE).href;
  const { context, page, seen } = await open(url);
  try {
    await FULL_SESSION(page);
    assert.deepEqual(seen.problems, []);
    assert.deepEqual(await page.evaluate(() => window.__violations), [], "no CSP violation");
    const outside = seen.requests.filter((u) => u !== url && !/^(data|blob|about):/.test(u));
    assert.deepEqual(outside, [], "nothing but the page itself");
  } finally {
    await context.close();
  }
});
