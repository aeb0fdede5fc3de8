// The investigation workspace, driven as a person would: several formats at once, queries and their
// errors, pivots from the detail panel, the histogram brush, findings → evidence, stars/tags/comments
// that survive a reload, case files, the report builder and exports, the keyboard-only flow and time
// zones. Screenshots of each main view (light and dark) go to test-output/.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { assertCleanAndLocal, loadSampleAndCheck, ROOT, screenshot, useServedSite, watch } from "./helpers.mjs";

let browser;
let origin;
useServedSite((s) => ({ browser, origin } = s));

const FIX = (n) => path.join(ROOT, "tests/fixtures", n);
const SAMPLE = (n) => path.join(ROOT, "web/sample", n);
const local = (url) => url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:") || url === "about:srcdoc";

async function open(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true, ...opts });
  const page = await context.newPage();
  const seen = watch(page);
  page.on("dialog", (d) => {
    seen.errors.push(`a dialog opened: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { context, page, seen };
}

const total = async (page) => Number(await page.getByTestId("result-count").getAttribute("data-total"));

/** Waits until the shown result is for the query in the box (or an error shows). */
async function settled(page) {
  await page.waitForFunction(() => {
    const err = document.querySelector('[data-testid="query-error"]');
    return document.querySelector('[data-testid="result-count"]').dataset.total !== undefined || !err.hidden;
  });
  await page.waitForTimeout(200);
}

async function search(page, q) {
  const prev = await page.getByTestId("result-count").textContent();
  await page.getByTestId("query").fill(q);
  await page.getByTestId("query").press("Enter");
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid="result-count"]').textContent !== p || !document.querySelector('[data-testid="query-error"]').hidden,
    prev,
  );
  await page.waitForTimeout(150);
}

async function loadSample(page, shot) {
  await loadSampleAndCheck(page, shot);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="result-count"]').dataset.total) > 0);
}

async function readDownload(page, click) {
  const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, "utf8") };
}

test("several formats load together and queries show their errors", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    const files = [FIX("ocore-export.json"), FIX("okta-one-bad-line.ndjson"), SAMPLE("ops0-export.csv"), SAMPLE("opsknight-audit.json"), SAMPLE("vendore-audit.csv")];
    await page.getByTestId("file-input").setInputFiles(files);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-summary"]').length === 5, null, { timeout: 30_000 });
    assert.equal(await page.getByTestId("load-progress-file").count(), 5, "one progress line per file");
    const formats = await page.locator('[data-testid="file-format"]').allTextContents();
    assert.equal(new Set(formats).size, 5, `five different formats: ${formats}`);
    await settled(page);
    const all = await total(page);
    assert.ok(all > 1000, `events searchable: ${all}`);

    await search(page, "format:okta");
    assert.equal(await total(page), 2);
    await search(page, "action:(");
    assert.equal(await page.getByTestId("query-error").isHidden(), false, "a syntax error is shown");
    assert.match(await page.getByTestId("query-error").textContent(), /column/);
    assert.ok(await page.getByTestId("query-error-mark").locator("mark").count(), "the bad part of the query is marked");
    assert.equal(await page.getByTestId("query").getAttribute("aria-invalid"), "true");
    await search(page, "outcome:failure AND NOT format:okta");
    assert.equal(await page.getByTestId("query-error").isHidden(), true, "the error goes away");
    const n = await total(page);
    assert.ok(n > 0 && n < all);
    const outcomes = await page.locator('[data-testid="results"] tbody td.outcome').allTextContents();
    assert.ok(outcomes.length > 0 && outcomes.every((o) => o === "failure"));
    // Failed events are marked in the grid.
    assert.ok((await page.locator('[data-testid="result-row"].outcome-failure').count()) > 0);
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("grid: virtualized, sortable, columns; detail pivot; histogram brush; facet exclude", { timeout: 150_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await loadSample(page, "workspace");
    const all = await total(page);
    // Only the rows in view are in the DOM, yet scrolling reaches the last one.
    const rows = await page.locator('[data-testid="result-row"]').count();
    assert.ok(rows > 5 && rows < 100, `rows in the DOM: ${rows} of ${all}`);
    await page.getByTestId("results-scroll").evaluate((e) => (e.scrollTop = e.scrollHeight));
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="result-row"]')].some((r) => r.dataset.row === String(n - 1)), all);

    // Sort by actor, descending, then back to time.
    await page.locator("th.col-actor button").click();
    await page.waitForFunction(() => document.querySelector("th.col-actor")?.getAttribute("aria-sort") === "ascending");
    await page.locator("th.col-actor button").click();
    await page.waitForFunction(() => document.querySelector("th.col-actor")?.getAttribute("aria-sort") === "descending");
    const actors = await page.locator('[data-testid="result-row"] td.col-actor').allTextContents();
    const sorted = [...actors].filter(Boolean).sort().reverse();
    assert.deepEqual(actors.filter(Boolean).slice(0, 3), sorted.slice(0, 3), "descending by actor");
    await page.locator("th.col-time button").click();

    // Column choice: add the user agent column.
    await page.locator('[data-testid="columns"] summary').click();
    await page.getByTestId("column-ua").locator("input").check();
    await page.keyboard.press("Escape");
    assert.ok(await page.locator("th.col-ua").count(), "user agent column shown");

    // Detail: open an auth.login row, pivot on its actor.
    await search(page, "action:auth.login");
    const nLogin = await total(page);
    await page.locator('[data-testid="result-row"]').first().click();
    const detail = page.getByTestId("event-detail");
    await detail.waitFor({ state: "visible" });
    assert.match(await detail.getByTestId("detail-original").textContent(), /auth\.login/, "the original record is shown");
    await screenshot(page, "workspace-detail");
    const pivot = detail.locator('[data-testid="pivot"][data-field="actor"]');
    const actor = await pivot.textContent();
    await pivot.click();
    await page.waitForFunction((a) => document.querySelector('[data-testid="query"]').value.includes("actor:"), actor);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) < n, nLogin);
    const shown = await page.locator('[data-testid="result-row"] td.col-actor').allTextContents();
    assert.ok(shown.every((a) => a === actor), `every row is ${actor}`);
    // Entity context from the detail panel.
    await detail.getByTestId("context-actor").click();
    await detail.locator(".mini-event").first().waitFor();
    await page.keyboard.press("Escape");
    await detail.waitFor({ state: "hidden" });

    // Histogram: drag across the middle third → a time range in the query and fewer matches.
    await search(page, "");
    const bars = page.locator('[data-testid="histogram"] .bars');
    const box = await bars.boundingBox();
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 6 });
    await page.mouse.move(box.x + box.width * 0.65, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.waitForFunction(() => /time:\[\S+ TO \S+\]/.test(document.querySelector('[data-testid="query"]').value));
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) < n, all);
    await screenshot(page, "workspace-brushed");
    await page.getByTestId("zoom-reset").click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) === n, all);
    // The same from the keyboard: focus the histogram, pick three buckets, Enter.
    await page.locator('[data-testid="histogram"] .bars').focus();
    for (const k of ["ArrowRight", "ArrowRight", "Shift+ArrowRight", "Shift+ArrowRight", "Enter"]) await page.keyboard.press(k);
    await page.waitForFunction(() => /time:\[\S+ TO \S+\]/.test(document.querySelector('[data-testid="query"]').value));
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) < n, all);
    await page.getByTestId("zoom-reset").click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) === n, all);

    // Facet exclude: "−" next to a value adds -field:value.
    const ex = page.locator('[data-testid="facet-action"] [data-testid="facet-exclude"]').first();
    await ex.click();
    await page.waitForFunction(() => /^-action:/.test(document.querySelector('[data-testid="query"]').value));
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) < n, all);

    // Lanes and sessions views.
    await search(page, "");
    await page.getByTestId("view-lanes-actor").click();
    await page.locator('[data-testid="lane"]').first().waitFor();
    await screenshot(page, "workspace-lanes");
    await page.getByTestId("view-sessions").click();
    await page.locator('[data-testid="session"]').first().waitFor();
    await page.getByTestId("view-events").click();
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("finding → evidence; star, tag, comment, analyst event survive a reload; case file round trip", { timeout: 150_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await loadSample(page, "annotate");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding"]').length > 0);
    const brute = page.locator('[data-testid="finding"]', { hasText: "Brute force against one account" }).first();
    const expected = Number((await brute.getByTestId("finding-evidence").textContent()).match(/\d+/)[0]);
    await brute.getByTestId("finding-evidence").click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) === n, expected);

    // Star the first evidence event from the grid, tag and comment it in the detail panel.
    await page.locator('[data-testid="result-row"]').first().getByTestId("star").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="starred-count"]').textContent === "1");
    await page.locator('[data-testid="result-row"]').first().click();
    const detail = page.getByTestId("event-detail");
    await detail.waitFor({ state: "visible" });
    assert.equal(await detail.getByTestId("detail-star").getAttribute("aria-pressed"), "true");
    await detail.getByTestId("tag-input").fill("brute-force");
    await detail.getByTestId("tag-add").click();
    await detail.getByTestId("detail-tags").getByText("brute-force").waitFor();
    await detail.getByTestId("comment-input").fill("first failed attempt <b>not bold</b>");
    await detail.getByTestId("comment-add").click();
    await detail.getByTestId("detail-comments").getByText("first failed attempt <b>not bold</b>").waitFor();
    // A second comment, deleted again.
    await detail.getByTestId("comment-input").fill("typo");
    await detail.getByTestId("comment-add").click();
    await detail.getByTestId("detail-comments").getByText("typo").waitFor();
    await detail.getByTestId("comment-delete").nth(1).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="detail-comments"] li').length === 1);
    await page.keyboard.press("Escape");

    // An analyst event in the notes view.
    await page.getByTestId("view-notes").click();
    await page.getByTestId("analyst-text").fill("User confirmed the password was phished");
    await page.getByTestId("analyst-add").click();
    await page.getByTestId("analyst-event").first().waitFor();
    assert.equal(await page.getByTestId("analyst-marker").count(), 1, "the analyst event is marked on the histogram");
    assert.equal(await page.getByTestId("noted-event").count(), 1, "the starred event is listed");
    await screenshot(page, "annotate-notes");

    // Save the case file.
    const saved = await readDownload(page, async () => {
      await page.locator('[data-testid="case-menu"] summary').click();
      await page.getByTestId("case-save").click();
    });
    assert.match(saved.name, /\.auditlens-case\.json$/);
    const c = JSON.parse(saved.text);
    assert.equal(c.auditlens_case, 1);
    assert.equal(c.stars.length, 1);
    assert.deepEqual(Object.values(c.tags), [["brute-force"]]);
    assert.equal(c.analyst_events.length, 1);
    assert.equal(c.files.length, 4);

    // Reload: the same files bring the same annotations back.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await loadSample(page, "annotate-reload");
    await page.waitForFunction(() => document.querySelector('[data-testid="starred-count"]').textContent === "1");
    await page.getByTestId("view-notes").click();
    await page.getByTestId("noted-event").first().waitFor();
    assert.match(await page.getByTestId("notes-list").textContent(), /User confirmed the password was phished/);
    await page.getByTestId("noted-event").locator("button.link").first().click();
    await detail.waitFor({ state: "visible" });
    await detail.getByTestId("detail-comments").getByText("first failed attempt <b>not bold</b>").waitFor();
    await page.keyboard.press("Escape");

    // A fresh browser (no stored case) gets everything back from the case file.
    const fresh = await open();
    try {
      await loadSample(fresh.page, "annotate-fresh");
      assert.equal(await fresh.page.getByTestId("starred-count").textContent(), "0");
      const tmp = path.join(ROOT, "test-output", "case-roundtrip.auditlens-case.json");
      fs.mkdirSync(path.dirname(tmp), { recursive: true });
      fs.writeFileSync(tmp, saved.text);
      await fresh.page.getByTestId("case-load-input").setInputFiles(tmp);
      await fresh.page.waitForFunction(() => document.querySelector('[data-testid="starred-count"]').textContent === "1");
      assert.equal(await fresh.page.getByTestId("status").getAttribute("data-kind"), "ok");
      assertCleanAndLocal(fresh.seen, local);
    } finally {
      await fresh.context.close();
    }
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("report builder: live preview, Markdown and HTML downloads; CSV export", { timeout: 150_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await loadSample(page, "report");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding"]').length > 0);
    await search(page, "outcome:failure");
    const failures = await total(page);
    await page.locator('[data-testid="result-row"]').first().getByTestId("star").click();

    // The report follows the page's time zone.
    await page.getByTestId("timezone").fill("Europe/Berlin");
    await page.getByTestId("timezone").press("Enter");
    await page.getByTestId("report-open").click();
    await page.getByTestId("report-title").fill("Northwind incident 42");
    await page.getByTestId("report-notes").fill("Notes with <script>alert('notes')</script> stay text.");
    const preview = page.frameLocator('[data-testid="report-preview"]');
    await preview.locator("body", { hasText: "Northwind incident 42" }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId("report-preview").getAttribute("sandbox"), "", "the preview is sandboxed");
    await screenshot(page, "report-preview");

    const md = await readDownload(page, () => page.getByTestId("report-download-md").click());
    assert.match(md.name, /\.md$/);
    assert.match(md.text, /Northwind incident 42/);
    assert.match(md.text, /Brute force against one account/);
    assert.match(md.text, /Europe\/Berlin/, "times in the chosen zone");
    assert.ok(!md.text.includes("<script>alert('notes')</script>"), "notes are escaped in Markdown");
    const html = await readDownload(page, () => page.getByTestId("report-download-html").click());
    assert.match(html.name, /\.html$/);
    assert.match(html.text, /^<!DOCTYPE html>/);
    assert.match(html.text, /Northwind incident 42/);
    assert.ok(!/<script/i.test(html.text), "the HTML report has no script");
    // "Open to print": the report as its own page in a new tab, from a Blob URL.
    const [popup] = await Promise.all([context.waitForEvent("page"), page.getByTestId("report-print").click()]);
    await popup.waitForLoadState();
    assert.match(popup.url(), /^blob:/);
    assert.match(await popup.locator("h1").first().textContent(), /Northwind incident 42/);
    await popup.close();
    const json = await readDownload(page, () => page.getByTestId("report-download-json").click());
    assert.ok(JSON.parse(json.text), "JSON report parses");
    await page.getByTestId("report-close").click();

    // Export the current result (outcome:failure) as CSV.
    const csv = await readDownload(page, async () => {
      await page.locator('[data-testid="export"] summary').click();
      await page.getByTestId("export-csv").click();
    });
    assert.equal(csv.name, "auditlens-export.csv");
    const lines = csv.text.trimEnd().split(/\r?\n/);
    assert.match(lines[0], /time/);
    assert.ok(lines.length - 1 >= failures, `one line per failure (${lines.length - 1} for ${failures})`);
    assert.match(csv.text, /failure/);
    const nd = await readDownload(page, async () => {
      await page.locator('[data-testid="export"] summary').click();
      await page.getByTestId("export-ndjson").click();
    });
    const events = nd.text.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(events.length, failures);
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("keyboard only: / search, j/k move, Enter details, s star, Esc close; time zone follows", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await loadSample(page, "keyboard");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "query");
    await page.keyboard.type("outcome:failure");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]').textContent.includes("match") && document.querySelector('[data-testid="query"]').value === "outcome:failure");
    await page.waitForTimeout(200);
    await page.keyboard.press("Escape"); // leave the query box for the grid
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    const sel = await page.locator('[data-testid="result-row"].selected').getAttribute("data-row");
    assert.equal(sel, "1");
    await page.keyboard.press("Enter");
    const detail = page.getByTestId("event-detail");
    await detail.waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await detail.waitFor({ state: "hidden" });
    await page.keyboard.press("s");
    await page.waitForFunction(() => document.querySelector('[data-testid="starred-count"]').textContent === "1");
    await page.keyboard.press("?");
    assert.equal(await page.getByTestId("cheatsheet").evaluate((d) => d.open), true, "? opens the cheat-sheet");
    assert.equal(await page.locator('[data-testid="result-row"].selected [data-testid="star"]').getAttribute("aria-pressed"), "true");
    // Tab reaches the query and the grid (focus is visible: an outline).
    const outline = await page.getByTestId("results-scroll").evaluate((e) => {
      e.focus();
      return getComputedStyle(e).outlineStyle;
    });
    assert.notEqual(outline, "none");

    // Time zone: Europe/Berlin is UTC+1 in February.
    const utc = await page.locator('[data-testid="result-row"] td.col-time').first().textContent();
    await page.getByTestId("timezone").fill("Europe/Berlin");
    await page.getByTestId("timezone").press("Enter");
    await page.waitForFunction(() => document.querySelector("th.col-time")?.textContent.includes("Europe/Berlin"));
    await page.waitForFunction((u) => document.querySelector('[data-testid="result-row"] td.col-time')?.textContent !== u, utc);
    const berlin = await page.locator('[data-testid="result-row"] td.col-time').first().textContent();
    const ms = (t) => Date.parse(`${t.replace(" ", "T")}Z`);
    assert.equal(ms(berlin) - ms(utc), 3_600_000, `${utc} UTC is ${berlin} in Berlin`);
    // A bad zone is refused, the good one stays.
    await page.getByTestId("timezone").fill("Mars/Olympus");
    await page.getByTestId("timezone").press("Enter");
    assert.equal(await page.getByTestId("timezone").getAttribute("aria-invalid"), "true");
    // The URL keeps the state: a reload restores query and zone.
    assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /q=outcome:failure/);
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

for (const scheme of ["light", "dark"]) {
  test(`screenshots of the main views (${scheme})`, { timeout: 120_000 }, async () => {
    const { context, page, seen } = await open({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
    try {
      await loadSample(page, `views-${scheme}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding"]').length > 0);
      await search(page, "outcome:failure");
      await page.getByTestId("query").evaluate((e) => e.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: path.join(ROOT, "test-output", `view-search-${scheme}.png`) });
      await page.locator('[data-testid="result-row"]').nth(1).click();
      await page.getByTestId("event-detail").waitFor({ state: "visible" });
      await page.screenshot({ path: path.join(ROOT, "test-output", `view-detail-${scheme}.png`) });
      await page.keyboard.press("Escape");
      await page.getByTestId("view-lanes-ip").click();
      await page.locator('[data-testid="lane"]').first().waitFor();
      await page.screenshot({ path: path.join(ROOT, "test-output", `view-lanes-${scheme}.png`) });
      await page.getByTestId("view-events").click();
      await page.getByTestId("report-open").click();
      await page.frameLocator('[data-testid="report-preview"]').locator("h1").first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(ROOT, "test-output", `view-report-${scheme}.png`) });
      await page.getByTestId("report-close").click();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(ROOT, "test-output", `view-overview-${scheme}.png`) });
      assertCleanAndLocal(seen, local);
    } finally {
      await context.close();
    }
  });
}
