// Case files through the page: merging uses the core's rules (an analyst event with the same id
// but other text is kept, not dropped), and a case saved with its files reopens in a fresh browser
// with the files loaded from inside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { assertCleanAndLocal, ROOT, screenshot, useServedSite, watch } from "./helpers.mjs";

const INCIDENT = path.join(ROOT, "crates/auditlens-core/tests/report/incident-ocore.json");
const CASE = path.join(ROOT, "crates/auditlens-core/tests/report/case.json");
const OUT = path.join(ROOT, "test-output");

let browser;
let origin;
useServedSite((s) => ({ browser, origin } = s));
const local = (url) => url.startsWith(`${origin}/`) || /^(data|blob|about):/.test(url);

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { context, page, seen };
}

const starred = (page, n) =>
  page.waitForFunction((want) => document.querySelector('[data-testid="starred-count"]')?.textContent === want, String(n));

test("merge keeps both analysts' events; a portable case reopens with its files", { timeout: 180_000 }, async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const a = await open();
  let portable;
  try {
    await a.page.getByTestId("file-input").setInputFiles(INCIDENT);
    await a.page.getByTestId("file-summary").first().waitFor({ timeout: 30_000 });
    // The fixture case: one star, tags and a comment, analyst event a1, notes.
    await a.page.getByTestId("case-merge-input").setInputFiles(CASE);
    await starred(a.page, 1);
    // A colleague's case: the same analyst-event id with other text, and a second star.
    const mine = JSON.parse(fs.readFileSync(CASE, "utf8"));
    const theirs = {
      ...mine,
      stars: [mine.stars[0].replace(/:\d+$/, ":17")],
      analyst_events: [{ id: "a1", time: "2026-03-02T10:45:00Z", text: "Ben: the user confirmed the call was not IT.", author: "ben" }],
      report: { notes: "Ben: VPN logs agree." },
    };
    const colleague = path.join(OUT, "colleague-same-id.auditlens-case.json");
    fs.writeFileSync(colleague, JSON.stringify(theirs));
    await a.page.getByTestId("case-merge-input").setInputFiles(colleague);
    await starred(a.page, 2);
    await a.page.getByTestId("view-notes").click();
    await a.page.getByTestId("analyst-event").nth(1).waitFor();
    const notes = await a.page.getByTestId("notes-list").textContent();
    assert.match(notes, /phone call from 'IT support'/, "our analyst event is kept");
    assert.match(notes, /the user confirmed the call was not IT/, "theirs, with the same id, is kept too");

    // Save with its files.
    await a.page.locator('[data-testid="case-menu"] summary').click();
    const [dl] = await Promise.all([a.page.waitForEvent("download"), a.page.getByTestId("case-save-portable").click()]);
    portable = path.join(OUT, "portable.auditlens-case.json");
    await dl.saveAs(portable);
    const saved = JSON.parse(fs.readFileSync(portable, "utf8"));
    assert.equal(saved.embedded.length, 1);
    assert.equal(saved.embedded[0].name, "incident-ocore.json");
    assert.equal(saved.analyst_events.length, 2);
    assert.match(saved.report.notes, /Ben: VPN logs agree/);
    assertCleanAndLocal(a.seen, local);
  } finally {
    await a.context.close();
  }

  // A fresh browser, no files: loading the portable case brings the file and the annotations.
  const b = await open();
  try {
    await b.page.getByTestId("case-load-input").setInputFiles(portable);
    await b.page.getByTestId("file-summary").first().waitFor({ timeout: 30_000 });
    assert.match(await b.page.getByTestId("file-summary").first().textContent(), /incident-ocore\.json/);
    await b.page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="event-count"]')?.textContent ?? ""));
    assert.match(await b.page.getByTestId("event-count").textContent(), /19/);
    await starred(b.page, 2);
    await b.page.getByTestId("view-notes").click();
    await b.page.getByTestId("analyst-event").nth(1).waitFor();
    assert.match(await b.page.getByTestId("notes-list").textContent(), /the user confirmed the call was not IT/);
    await screenshot(b.page, "case-portable-reopened");
    assertCleanAndLocal(b.seen, local);
  } finally {
    await b.context.close();
  }
});
