// The HTML incident report, as the CLI writes it, opened in headless Chromium: it renders (a
// screenshot and a PDF through the print stylesheet), it asks for nothing over the network, and
// hostile log content stays text: no dialog, no script, no element from data, no layout break.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import crypto from "node:crypto";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const OUT = path.join(ROOT, "test-output");
const BIN = path.join(ROOT, "target/debug/auditlens");

function cli(args) {
  if (!fs.existsSync(BIN)) {
    execFileSync("cargo", ["build", "-q", "-p", "auditlens-cli"], { cwd: ROOT, stdio: "inherit" });
  }
  execFileSync(BIN, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

async function open(browser, file, { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const seen = { dialogs: [], requests: [], errors: [], csp: [] };
  page.on("dialog", async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  page.on("request", (r) => { if (!r.url().startsWith("file:")) seen.requests.push(r.url()); });
  page.on("pageerror", (e) => seen.errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") seen.csp.push(m.text()); });
  await page.goto(pathToFileURL(file).href);
  return { page, seen };
}

test("the HTML report of the fixture investigation renders, prints and requests nothing", async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const html = path.join(OUT, "report-incident.html");
  cli(["report", "--format", "html", "--generated-at", "2026-03-04T12:00:00Z",
    "--case", "crates/auditlens-core/tests/report/case.json",
    "-o", html, "crates/auditlens-core/tests/report/incident-ocore.json"]);
  const browser = await launch();
  try {
    const { page, seen } = await open(browser, html);
    await assert.doesNotReject(page.getByRole("heading", { level: 1, name: "Account takeover of dana@corp.example" }).waitFor());
    for (const h of ["Executive summary", "Key findings", "Timeline", "Actors, sources and resources",
      "Changes made", "Analyst notes", "Recommended next steps", "Methodology and evidence"]) {
      assert.equal(await page.getByRole("heading", { level: 2, name: h }).count(), 1, h);
    }
    const body = await page.locator("body").innerText();
    assert.match(body, /AL-004 Failed logins followed by a success/);
    assert.match(body, /The user received a phone call/);
    assert.match(body, /12196b04858ea599906e9d3991a93ba865acfdf1755121e271246314223d6d0b/);
    // The inline stylesheet applies under the report's own CSP (no violation, styles in effect).
    assert.deepEqual(seen.csp, []);
    const border = await page.locator("th").first().evaluate((el) => getComputedStyle(el).borderTopStyle);
    assert.equal(border, "solid");
    await page.screenshot({ path: path.join(OUT, "report-incident.png"), fullPage: true });
    // Print to PDF through the print stylesheet.
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    assert.ok(pdf.length > 10_000, `PDF has ${pdf.length} bytes`);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    fs.writeFileSync(path.join(OUT, "report-incident.pdf"), pdf);
    assert.deepEqual(seen.requests, []);
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await browser.close();
  }
});

test("hostile log content in the HTML report is inert text", async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const html = path.join(OUT, "report-hostile.html");
  const md = path.join(OUT, "report-hostile.md");
  // A case that stars every event (so each hostile value reaches the timeline) and whose own
  // notes, tags and comments are hostile too.
  const fixture = "tests/fixtures/hostile-ocore.json";
  const sha = crypto.createHash("sha256").update(fs.readFileSync(path.join(ROOT, fixture))).digest("hex");
  const keys = Array.from({ length: 7 }, (_, i) => `${sha}:${i + 1}`);
  const casePath = path.join(OUT, "hostile-case.json");
  fs.writeFileSync(casePath, JSON.stringify({
    auditlens_case: 1,
    title: "<img src=x onerror=alert('title')>",
    stars: keys,
    tags: { [keys[0]]: ["<svg onload=alert('tag')>"] },
    comments: { [keys[0]]: [{ author: "<b>x</b>", at: "2026-03-04T00:00:00Z", text: "<script>alert('comment')</script>" }] },
    analyst_events: [{ id: "a1", time: "2026-03-01T10:03:30Z", text: "<iframe src=javascript:alert('analyst')>", author: "ana" }],
    report: { notes: "<script>alert('notes')</script>\n\n# not a heading" },
  }));
  for (const [fmt, out] of [["html", html], ["md", md]]) {
    cli(["report", "--format", fmt, "--generated-at", "2026-03-04T12:00:00Z", "--case", casePath,
      "-o", out, fixture]);
  }
  const browser = await launch();
  try {
    const { page, seen } = await open(browser, html, { width: 1280, height: 720 });
    await page.waitForLoadState("load");
    // Give any injected handler (img onerror, svg onload) the chance to run.
    await page.waitForTimeout(300);
    assert.deepEqual(seen.dialogs, [], "no dialog opened");
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.requests, [], "nothing requested (no image, no stylesheet, no link)");
    // No element came from data: only the report's own tags, no script/img/svg/iframe/a.
    const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll("*")].map((e) => e.localName))].sort());
    for (const bad of ["script", "img", "svg", "iframe", "a", "textarea", "object", "embed", "form", "input", "link"]) {
      assert.ok(!tags.includes(bad), `<${bad}> in the rendered report (tags: ${tags})`);
    }
    const hasHandler = await page.evaluate(() => [...document.querySelectorAll("*")].some((e) => [...e.attributes].some((a) => a.name.startsWith("on"))));
    assert.equal(hasHandler, false, "no event-handler attribute");
    // The hostile values are visible literally, with hidden characters made visible.
    const text = await page.locator("body").innerText();
    assert.ok(text.includes("<script>alert('xss-actor')</script>@evil.example"), "script text shown");
    assert.ok(text.includes("<img src=x onerror=alert('xss-ua')>"), "img text shown");
    assert.ok(text.includes("admin[U+202E]gnp.exe"), "RTL override made visible");
    assert.ok(text.includes("zero[U+200B]width"), "zero-width characters made visible");
    assert.ok(text.includes("more characters)"), "long token shortened");
    assert.ok(text.includes("<script>alert('comment')</script>"), "comment shown as text");
    assert.ok(text.includes("<iframe src=javascript:alert('analyst')>"), "analyst event shown as text");
    assert.equal(await page.title(), "<img src=x onerror=alert('title')>");
    // Layout: long tokens wrap; nothing is wider than the viewport.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1280, `page is ${width}px wide`);
    await page.screenshot({ path: path.join(OUT, "report-hostile.png"), fullPage: true });

    // The Markdown report escapes the same content: no raw tag survives.
    const mdText = fs.readFileSync(md, "utf8");
    for (const bad of ["<script", "<img", "<svg", "<style", "</textarea"]) {
      assert.ok(!mdText.includes(bad), `${bad} in the Markdown report`);
    }
  } finally {
    await browser.close();
  }
});
