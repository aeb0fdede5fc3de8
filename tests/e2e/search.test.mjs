// The query bar: results while typing on the sample data, a syntax error a person can act on,
// facets that add terms, and a stats pipe — all in the real page with the real engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCleanAndLocal, loadSampleAndCheck, screenshot, useServedSite, watch } from "./helpers.mjs";

let browser;
let origin;
useServedSite((s) => ({ browser, origin } = s));

const total = async (page) => Number(await page.getByTestId("result-count").getAttribute("data-total"));

async function typeQuery(page, q) {
  const before = await page.evaluate(() => {
    const err = document.querySelector('[data-testid="query-error"]');
    return { seq: document.querySelector('[data-testid="result-count"]').dataset.seq ?? "", err: err.hidden ? null : err.textContent };
  });
  await page.getByTestId("query").fill(q);
  await page.getByTestId("query").press("Enter");
  // Wait until a new result renders (the count's text can repeat) or a new error shows (the
  // previous query's error may still be on screen for a moment).
  await page.waitForFunction((prev) => {
    const err = document.querySelector('[data-testid="query-error"]');
    const seq = document.querySelector('[data-testid="result-count"]').dataset.seq ?? "";
    return seq !== prev.seq || (!err.hidden && err.textContent !== prev.err);
  }, before);
}

test("search: query bar, errors, facets and stats on the sample data", { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const seen = watch(page);
  try {
    await page.goto(`${origin}/`);
    await loadSampleAndCheck(page, "search-sample");
    await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]').dataset.total);
    const all = await total(page);
    assert.ok(all >= 2600, `all sample events are searchable (${all})`);

    await typeQuery(page, "outcome:failure");
    const failures = await total(page);
    assert.ok(failures > 30 && failures < all, `failures: ${failures}`);
    const outcomes = await page.locator('[data-testid="results"] tbody td.outcome').allTextContents();
    assert.ok(outcomes.length > 0 && outcomes.every((o) => o === "failure"), "only failures are listed");
    await screenshot(page, "search-failures");

    await typeQuery(page, "usr:alice");
    const err = page.getByTestId("query-error");
    assert.equal(await err.isHidden(), false);
    assert.match(await err.textContent(), /did you mean "user"/);

    await typeQuery(page, "outcome:failure | stats count by actor");
    assert.equal(await page.getByTestId("stats-table").isHidden(), false);
    const header = await page.locator('[data-testid="stats-table"] th').allTextContents();
    assert.deepEqual(header.slice(-1), ["count"]);

    // The planted incident in the sample shows as findings; a finding's evidence opens in the grid.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="finding"]').length > 0);
    const titles = await page.locator('[data-testid="finding"] .finding-title').allTextContents();
    for (const t of ["Brute force against one account", "Password spray from one source"]) {
      assert.ok(titles.some((x) => x.startsWith(t)), `finding "${t}" in ${JSON.stringify(titles)}`);
    }
    const brute = page.locator('[data-testid="finding"]', { hasText: "Brute force against one account" }).first();
    const expected = Number((await brute.getByTestId("finding-evidence").textContent()).match(/\d+/)[0]);
    await brute.getByTestId("finding-evidence").click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) === n, expected);
    await screenshot(page, "findings-evidence");

    // A facet click narrows the query.
    await typeQuery(page, "outcome:failure");
    const facet = page.locator('[data-testid="facet-action"] .facet-value').first();
    const value = await facet.textContent();
    await facet.click();
    await page.waitForFunction((v) => document.querySelector('[data-testid="query"]').value.includes(v), value);
    await page.waitForFunction(
      (f) => Number(document.querySelector('[data-testid="result-count"]').dataset.total) < f,
      failures,
    );
    assert.match(await page.getByTestId("query").inputValue(), /^outcome:failure action:/);
    await screenshot(page, "search-facet");
    assertCleanAndLocal(seen, (u) => u.startsWith(`${origin}/`) || u.startsWith("data:") || u.startsWith("blob:"));
  } finally {
    await context.close();
  }
});
