// Past the browser's limits: a 3 GiB file (sparse on disk, so the test costs no space or memory)
// is refused at once with a clear message; the tab does not crash and what was loaded stays.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { SITE, ROOT, launchChromium, watch, screenshot } from "./helpers.mjs";

test("a 3 GiB file is refused with a clear message and the loaded data is kept", async () => {
  const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "auditlens-limits-")), "huge-export.json");
  const fd = fs.openSync(big, "w");
  fs.ftruncateSync(fd, 3 * 1024 ** 3);
  fs.closeSync(fd);
  const { server, url } = await startServer({ root: SITE });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const seen = watch(page);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.getByTestId("file-input").setInputFiles(path.join(ROOT, "tests/fixtures/ocore-export.json"));
    await page.getByTestId("file-summary").first().waitFor({ timeout: 30_000 });

    const t0 = Date.now();
    await page.getByTestId("file-input").setInputFiles(big);
    const status = page.getByTestId("status");
    await page.waitForFunction(() => /too large for the browser/.test(document.body.innerText), null, { timeout: 30_000 });
    const waited = Date.now() - t0;
    assert.ok(waited < 10_000, `refused in ${waited} ms, without reading the file`);
    const text = await page.locator("body").innerText();
    assert.match(text, /huge-export\.json is 3\.0 GiB: too large for the browser/);
    assert.match(text, /command line/);
    assert.equal(await status.getAttribute("data-kind"), "error");
    // Still alive, still holding the first file: its card and its 5 events.
    assert.equal(await page.getByTestId("file-summary").count(), 1);
    assert.match(await page.getByTestId("event-count").textContent(), /^\s*5\b/);
    await page.getByTestId("query").fill("action:auth.login");
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="result-count"]')?.textContent ?? ""));
    assert.deepEqual(seen.errors.filter((e) => !/too large/.test(e)), []);
    await screenshot(page, "limits-3gib");
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(path.dirname(big), { recursive: true, force: true });
  }
});
