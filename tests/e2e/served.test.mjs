// Test A: the served site (dist/site) from a local static server, as `./x serve` serves it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertCleanAndLocal, loadSampleAndCheck, screenshot, uploadFixturesAndCheck, useServedSite, watch } from "./helpers.mjs";

let browser;
let origin;
useServedSite((s) => ({ browser, origin } = s));

async function openPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, ...opts });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${origin}/`);
  return { context, page, seen };
}

const local = (origin) => (url) => url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:");

test("served page: uploaded files show their counts", { timeout: 90_000 }, async () => {
  const { context, page, seen } = await openPage();
  try {
    await uploadFixturesAndCheck(page, "served");
    assertCleanAndLocal(seen, local(origin));
  } finally {
    await context.close();
  }
});

test("served page: sample data loads (dark mode)", { timeout: 90_000 }, async () => {
  const { context, page, seen } = await openPage({ colorScheme: "dark" });
  try {
    await loadSampleAndCheck(page, "served-dark");
    assertCleanAndLocal(seen, local(origin));
    assert.ok(seen.requests.some((u) => u.endsWith("/pkg/auditlens_wasm_bg.wasm")), "the wasm came from the server");
  } finally {
    await context.close();
  }
});

test("served page: files then sample in one session", { timeout: 90_000 }, async () => {
  const { context, page, seen } = await openPage();
  try {
    await uploadFixturesAndCheck(page, "served-session");
    await loadSampleAndCheck(page, "served-session");
    await screenshot(page, "served-session-final");
    assertCleanAndLocal(seen, local(origin));
  } finally {
    await context.close();
  }
});

test("static server: wasm and scripts have the right MIME types", async () => {
  const type = async (p) => (await fetch(`${origin}/${p}`)).headers.get("content-type");
  assert.equal(await type("pkg/auditlens_wasm_bg.wasm"), "application/wasm");
  assert.match(await type("app.js"), /^text\/javascript/);
  assert.match(await type("pkg/auditlens_wasm.js"), /^text\/javascript/);
  assert.equal((await fetch(`${origin}/../Cargo.toml`)).status, 404);
  assert.equal((await fetch(`${origin}/..%2fCargo.toml`)).status, 403);
});
