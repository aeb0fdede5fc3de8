// Test B: dist/auditlens.html opened from file://, with no server at all.
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  SINGLE_FILE,
  assertCleanAndLocal,
  launchChromium,
  loadSampleAndCheck,
  uploadFixturesAndCheck,
  watch,
} from "./helpers.mjs";

const pageUrl = pathToFileURL(SINGLE_FILE).href;
// The page itself; its worker comes from a blob: URL and its icon is a data: URL. Nothing else.
const allowed = (url) => url === pageUrl || url.startsWith("data:") || url.startsWith("blob:");

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test("single file from file://: uploaded files and sample data", { timeout: 90_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  const seen = watch(page);
  try {
    await page.goto(pageUrl);
    await uploadFixturesAndCheck(page, "single-file");
    await loadSampleAndCheck(page, "single-file");
    assertCleanAndLocal(seen, allowed);
  } finally {
    await context.close();
  }
});
