// Smaller workspace features: Sigma rules and thresholds from the page, query autocomplete and
// history, state from the URL hash, the theme toggle and a folder of files.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { assertCleanAndLocal, loadSampleAndCheck, ROOT, screenshot, useServedSite, watch } from "./helpers.mjs";

let browser;
let origin;
useServedSite((s) => ({ browser, origin } = s));

const local = (url) => url.startsWith(`${origin}/`) || /^(data|blob|about):/.test(url);

async function open(hash = "", opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...opts });
  const page = await context.newPage();
  const seen = watch(page);
  page.on("dialog", (d) => {
    seen.errors.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { context, page, seen };
}

const titles = (page) => page.locator('[data-testid="finding"] .finding-title').allTextContents();

test("Sigma rules and thresholds from the page re-run the detections", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await loadSampleAndCheck(page, "rules");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding"]').length > 0);
    assert.ok((await titles(page)).some((t) => t.startsWith("Brute force against one account")));

    await page.locator('[data-testid="rules-panel"] summary').click();
    await page.getByTestId("sigma-input").setInputFiles(path.join(ROOT, "tests/fixtures/sigma-webhook-deleted.yml"));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="finding"] .finding-title')].some((t) => t.textContent.startsWith("Webhook endpoint deleted")));
    assert.match(await page.getByTestId("sigma-status").textContent(), /1 Sigma file loaded; 0 rules not supported/);

    // A threshold no brute force reaches: the finding goes away and the case keeps the setting.
    await page.getByTestId("thresholds").fill('{"brute_force_count": 100000}');
    await page.getByTestId("thresholds-apply").click();
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="finding"] .finding-title')].some((t) => t.textContent.startsWith("Brute force against one account")));
    await page.getByTestId("thresholds").fill("{not json");
    await page.getByTestId("thresholds-apply").click();
    assert.equal(await page.getByTestId("thresholds-error").isHidden(), false);
    await screenshot(page, "rules");
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("autocomplete, history, URL hash state and theme", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open("#q=outcome%3Afailure&view=lanes%3Aactor&tz=Asia%2FTokyo");
  try {
    assert.equal(await page.getByTestId("query").inputValue(), "outcome:failure", "query from the URL");
    assert.equal(await page.getByTestId("timezone").inputValue(), "Asia/Tokyo", "zone from the URL");
    await loadSampleAndCheck(page, "hash");
    await page.locator('[data-testid="lane"]').first().waitFor();
    assert.equal(await page.getByTestId("view-lanes-actor").getAttribute("aria-selected"), "true", "view from the URL");
    await page.getByTestId("view-events").click();

    // Field names complete; then top values of that field.
    const q = page.getByTestId("query");
    await q.fill("");
    await q.pressSequentially("outc");
    await page.getByTestId("autocomplete").getByText("outcome").waitFor();
    await q.press("ArrowDown");
    await q.press("Enter");
    assert.equal(await q.inputValue(), "outcome:");
    await q.pressSequentially("su");
    await page.getByTestId("autocomplete").getByText("outcome:success").waitFor();
    await q.press("ArrowDown");
    await q.press("Tab");
    assert.equal(await q.inputValue(), "outcome:success ");
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]').textContent.includes("match"));
    await q.press("Enter");
    await page.locator('[data-testid="cheatsheet"] summary').click();
    await page.getByTestId("query-history").getByText("outcome:success").first().waitFor();
    await page.getByTestId("save-query").click();
    await page.getByTestId("saved-queries").getByText("outcome:success").waitFor();
    assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /q=outcome:success/);

    // Theme: auto → light → dark, kept across a reload.
    await page.getByTestId("theme-toggle").click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
    await page.getByTestId("theme-toggle").click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, "rgb(15, 18, 22)");
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("a wide screen shows grid and detail side by side without overflow", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open("", { viewport: { width: 2560, height: 1200 } });
  try {
    await loadSampleAndCheck(page, "wide");
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="result-count"]').dataset.total) > 0);
    await page.locator('[data-testid="result-row"]').first().click();
    await page.getByTestId("event-detail").waitFor({ state: "visible" });
    const w = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(w[0] <= w[1], `no horizontal overflow: ${w}`);
    await page.screenshot({ path: path.join(ROOT, "test-output", "wide-detail.png") });
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("column mapping for an unrecognised CSV (remembered), and removing a file", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open();
  const count = () => page.getByTestId("event-count").textContent();
  try {
    await page.getByTestId("file-input").setInputFiles([path.join(ROOT, "tests/fixtures/custom-app.csv"), path.join(ROOT, "tests/fixtures/ocore-export.json")]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-summary"]').length === 2);
    assert.equal(await count(), "8");
    const card = page.locator('[data-testid="file-summary"]', { hasText: "custom-app.csv" });
    assert.match(await card.getByTestId("file-mapping-note").textContent(), /time ← When/);
    await card.getByTestId("file-mapping").click();
    const dialog = page.getByTestId("mapping-dialog");
    await dialog.waitFor({ state: "visible" });
    assert.equal(await dialog.getByTestId("map-time").inputValue(), "When", "the inferred choice is preselected");
    await dialog.getByTestId("map-action").selectOption("Did");
    await dialog.getByTestId("map-src_ip").selectOption("From");
    await dialog.getByTestId("mapping-preview").getByText("open door").first().waitFor();
    await screenshot(page, "mapping-dialog");
    await dialog.getByTestId("mapping-apply").click();
    await page.waitForFunction(() => /action ← Did/.test(document.querySelector('[data-testid="file-list"]').textContent));
    await page.getByTestId("query").fill('action:"open door" ip:10.1.2.3');
    await page.getByTestId("query").press("Enter");
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]').dataset.total === "1");

    // Remove the oCore file: its events go, the CSV keeps its mapping.
    await page.locator('[data-testid="file-summary"]', { hasText: "ocore-export.json" }).getByTestId("file-remove").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-summary"]').length === 1);
    assert.equal(await count(), "3");
    assert.equal(await page.getByTestId("file-count").textContent(), "1");

    // The mapping is remembered for this file: a new load uses it.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.getByTestId("file-input").setInputFiles(path.join(ROOT, "tests/fixtures/custom-app.csv"));
    await page.waitForFunction(() => /action ← Did/.test(document.querySelector('[data-testid="file-list"]').textContent));
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("case merge: a colleague's stars and notes join ours", { timeout: 120_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await loadSampleAndCheck(page, "merge");
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="result-count"]').dataset.total) > 0);
    await page.locator('[data-testid="result-row"]').first().getByTestId("star").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="starred-count"]').textContent === "1");
    const key = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith("auditlens.case.")))).stars[0]);
    const files = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith("auditlens.case.")))).files);
    // The colleague starred another event (record 2 of the same file) and commented on ours.
    const other = key.replace(/:(\d+)$/, (_, n) => `:${Number(n) + 1}`);
    const theirs = {
      auditlens_case: 1, id: "INC-7", title: "Colleague", files, stars: [other], tags: { [key]: ["reviewed"] },
      comments: { [key]: [{ author: "bob", at: "2026-03-01T12:00:00Z", text: "seen this too" }] },
      analyst_events: [{ id: "b1", time: "2026-02-09T10:40:00Z", text: "bob: call with the user", author: "bob" }],
      saved_queries: [{ name: "bob's", query: "outcome:failure" }], detect_config: {}, report: {},
    };
    const file = path.join(ROOT, "test-output", "colleague.auditlens-case.json");
    fs.writeFileSync(file, JSON.stringify(theirs));
    await page.getByTestId("case-merge-input").setInputFiles(file);
    await page.waitForFunction(() => document.querySelector('[data-testid="starred-count"]').textContent === "2");
    await page.getByTestId("view-notes").click();
    await page.getByTestId("analyst-event").first().waitFor();
    assert.match(await page.getByTestId("notes-list").textContent(), /seen this too/);
    assert.match(await page.getByTestId("notes-list").textContent(), /reviewed/);
    assert.match(await page.getByTestId("saved-queries").textContent(), /bob's/);
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});

test("a file card lists the first rejected records and the rest on request", { timeout: 60_000 }, async () => {
  const { context, page, seen } = await open();
  try {
    await page.getByTestId("file-input").setInputFiles(path.join(ROOT, "tests/fixtures/okta-seven-bad-lines.ndjson"));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-summary"]').length === 1);
    const card = page.getByTestId("file-summary");
    assert.equal(await card.getByTestId("file-rejected").textContent(), "7");
    assert.equal(await card.locator('[data-testid="file-errors"] li').count(), 5);
    const more = card.getByTestId("file-errors-more");
    assert.match(await more.locator("summary").textContent(), /2 more rejected records/);
    await more.locator("summary").click();
    await more.getByText("line 8", { exact: true }).waitFor();
    assertCleanAndLocal(seen, local);
  } finally {
    await context.close();
  }
});
