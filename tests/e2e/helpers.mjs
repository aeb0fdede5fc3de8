// Shared flow for the browser tests: drive the real page the way a person does and assert what they see.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SITE = path.join(ROOT, "dist/site");
export const SINGLE_FILE = path.join(ROOT, "dist/auditlens.html");
const FIXTURES = path.join(ROOT, "tests/fixtures");
const OUT = path.join(ROOT, "test-output");

// What a person should see for each fixture, worked out from the fixture files themselves.
export const FIXTURE_EXPECTATIONS = {
  // 5 oCore records in an {"items":[...],"total":5} export, pretty-printed over 65 lines.
  "ocore-export.json": { loaded: 5, rejected: 0, errorLines: [] },
  // 3 Okta System Log lines; line 2 is not JSON.
  "okta-one-bad-line.ndjson": { loaded: 2, rejected: 1, errorLines: [2] },
};

export function launchChromium() {
  for (const f of [SITE + "/index.html", SINGLE_FILE]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run ./x dist first`);
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Records console messages, page errors and every request the page (or its worker) makes. */
export function watch(page) {
  const seen = { errors: [], warnings: [], requests: [] };
  page.on("console", (m) => {
    if (m.type() === "error") seen.errors.push(`console.error: ${m.text()}`);
    if (m.type() === "warning") seen.warnings.push(m.text());
  });
  page.on("pageerror", (e) => seen.errors.push(`page error: ${e.message}`));
  page.on("crash", () => seen.errors.push("page crashed"));
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("requestfailed", (r) => seen.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return seen;
}

export async function screenshot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

const number = (text) => Number(String(text).replace(/[^\d]/g, ""));

/** The file cards as a person reads them. */
async function readCards(page) {
  return page.locator('[data-testid="file-summary"]').evaluateAll((cards) =>
    cards.map((c) => {
      const t = (id) => c.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
      return {
        name: t("file-name"),
        format: t("file-format"),
        loaded: t("file-loaded"),
        rejected: t("file-rejected"),
        errors: t("file-errors"),
      };
    }),
  );
}

/** Waits until `n` cards show, or the page reports an error (then fails with what it says). */
async function waitForCards(page, n) {
  await page.waitForFunction(
    (want) =>
      document.querySelectorAll('[data-testid="file-summary"]').length >= want ||
      document.querySelector('[data-testid="status"]')?.dataset.kind === "error",
    n,
    { timeout: 30_000 },
  );
  const status = page.getByTestId("status");
  assert.notEqual(await status.getAttribute("data-kind"), "error", `the page says: ${await status.textContent()}`);
}

/** Uploads the fixtures through the file input and checks each file's card and the event count. */
export async function uploadFixturesAndCheck(page, shot) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const names = Object.keys(FIXTURE_EXPECTATIONS);
  await page.getByTestId("file-input").setInputFiles(names.map((n) => path.join(FIXTURES, n)));
  await waitForCards(page, names.length);
  await screenshot(page, `${shot}-fixtures`);

  const cards = await readCards(page);
  assert.deepEqual(cards.map((c) => c.name), names, "one card per uploaded file, in order");
  let total = 0;
  const problems = [];
  for (const card of cards) {
    const want = FIXTURE_EXPECTATIONS[card.name];
    assert.ok(card.format?.trim(), `${card.name}: a format is shown`);
    const got = { loaded: number(card.loaded), rejected: number(card.rejected) };
    if (got.loaded !== want.loaded || got.rejected !== want.rejected) {
      problems.push(`${card.name}: shows loaded ${got.loaded}, rejected ${got.rejected}; expected ${want.loaded}, ${want.rejected}`);
    }
    for (const line of want.errorLines) {
      if (!card.errors?.includes(`line ${line}`)) problems.push(`${card.name}: the error on line ${line} is not shown`);
    }
    total += got.loaded;
  }
  // The fixtures share no events, so nothing is deduplicated.
  assert.equal(number(await page.getByTestId("event-count").textContent()), total, "event count = sum of loaded");
  assert.deepEqual(problems, [], "per-file counts");
}

/** Clicks "Load sample data" and checks that every sample file gets a card with loaded events. */
export async function loadSampleAndCheck(page, shot) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const before = await page.locator('[data-testid="file-summary"]').count();
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "web/sample/manifest.json"), "utf8"));
  await page.getByTestId("load-sample").click();
  await waitForCards(page, before + manifest.files.length);
  await screenshot(page, `${shot}-sample`);

  const cards = (await readCards(page)).slice(before);
  assert.deepEqual(cards.map((c) => c.name), manifest.files, "one card per sample file");
  for (const c of cards) {
    assert.ok(c.format?.trim(), `${c.name}: a format is shown`);
    assert.ok(number(c.loaded) > 0, `${c.name}: some events loaded`);
  }
  // Identical events in several files count once, so the total is at most the sum of the cards.
  const sum = (await readCards(page)).reduce((n, c) => n + number(c.loaded), 0);
  const events = number(await page.getByTestId("event-count").textContent());
  assert.ok(events > 0 && events <= sum, `event count ${events} is within 1..${sum}`);
}

/** Fails with everything the page said if it logged an error or requested anything not allowed. */
export function assertCleanAndLocal(seen, isAllowed) {
  assert.deepEqual(seen.errors, [], "no console errors, page errors or failed requests");
  const outside = seen.requests.filter((u) => !isAllowed(u));
  assert.deepEqual(outside, [], "no request leaves the page's own files");
  assert.ok(seen.requests.length > 0, "requests were recorded");
}

/** For a test file: serves dist/site on a free loopback port and launches Chromium once (node:test
 * `before`/`after` hooks), then hands `{browser, origin}` to `use` before the first test. */
export function useServedSite(use) {
  let server;
  let browser;
  before(async () => {
    const s = await startServer({ root: SITE, port: 0 });
    server = s.server;
    browser = await launchChromium();
    use({ browser, origin: new URL(s.url).origin });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
}
