// Browser tests of the built walkthrough, served under a sub-path as GitHub
// Pages serves a project site. Run by tests/e2e/run, which builds the site,
// serves it and sets SITE_URL.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const base = process.env.SITE_URL;
const artifacts = new URL("./artifacts/", import.meta.url);
let browser;

before(async () => {
  assert.ok(base, "SITE_URL is not set: run tests/e2e/run");
  await mkdir(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => browser?.close());

/** Collects console errors, page errors, failed requests and HTTP errors. */
function watch(page) {
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  return problems;
}

async function stepUrls(home = base) {
  const page = await browser.newPage();
  await page.goto(home);
  const hrefs = await page.locator(".step-list a").evaluateAll((as) => as.map((a) => a.href));
  await page.close();
  return hrefs;
}

test("the stepper and next/previous links walk through every step", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(base);
  const titles = (await page.locator(".step-list .title").allTextContents()).map((t) => t.trim());
  assert.equal(titles.length, 6);
  await page.click(".hero .button");
  for (let i = 0; i < titles.length; i++) {
    assert.equal((await page.locator("h1").textContent()).trim(), titles[i]);
    const current = page.locator('.stepper [aria-current="step"]');
    assert.equal(await current.count(), 1);
    assert.equal(await page.locator(".stepper li.done").count(), i, "steps before the current one are done");
    if (i + 1 < titles.length) {
      await page.click(".pager .next");
    }
  }
  for (let i = titles.length - 1; i > 0; i--) {
    await page.click(".pager .prev");
    assert.equal((await page.locator("h1").textContent()).trim(), titles[i - 1]);
  }
  await page.locator(".stepper li").nth(3).locator("a").click();
  assert.equal((await page.locator("h1").textContent()).trim(), titles[3]);
  assert.ok(page.url().startsWith(base), "links stay under the sub-path");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the copy button copies exactly the snippet's text", async () => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(new URL("opret-bruger/index.html", base).href);
  const panel = page.locator(".card .snippet:not([hidden])").first();
  const expected = await panel.locator("pre code").textContent();
  await panel.locator(".copy").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, expected);
  assert.match(copied, /^curl 'https:\/\/api\.tink\.com\/api\/v1\/user\/create' \\\n/);
  assert.match(await panel.locator(".copy").textContent(), /Kopieret/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("snippet tabs work from the keyboard and are remembered across pages", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL("auth/index.html", base).href);
  const tabs = page.locator(".card").first().getByRole("tab");
  assert.equal(await tabs.count(), 6);
  await tabs.filter({ hasText: "Python" }).click();
  let visible = page.locator(".card").first().locator(".snippet:not([hidden])");
  assert.equal(await visible.count(), 1);
  assert.match(await visible.locator("pre code").textContent(), /import requests/);
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "JavaScript");
  assert.equal(await tabs.filter({ hasText: "JavaScript" }).getAttribute("aria-selected"), "true");
  await page.goto(new URL("konti/index.html", base).href);
  visible = page.locator(".card").first().locator(".snippet:not([hidden])");
  assert.match(await visible.locator("pre code").textContent(), /await fetch\(/, "the choice carries to the next page");
  await context.close();
});

test("without JavaScript every snippet is shown under its label", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL("auth/index.html", base).href);
  const card = page.locator(".card").first();
  assert.deepEqual((await card.locator(".snippet-label").allTextContents()).map((t) => t.trim()), ["cURL", "PowerShell", "HTTPie", "Python", "JavaScript", "Rust"]);
  assert.equal(await card.locator(".snippet:visible").count(), 6);
  assert.equal(await page.locator(".copy:visible").count(), 0, "copy buttons need JavaScript, so they stay hidden");
  await context.close();
});

test("light and dark colour schemes both render, on desktop and phone", async () => {
  const colours = {};
  for (const colorScheme of ["light", "dark"]) {
    for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
      const context = await browser.newContext({ colorScheme, viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(new URL("tilslut-bank/index.html", base).href);
      colours[colorScheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} ${colorScheme}: the page scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: new URL(`step-${name}-${colorScheme}.png`, artifacts).pathname, fullPage: name === "phone" });
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
  const luminance = (rgb) => rgb.match(/\d+/g).slice(0, 3).reduce((a, c) => a + Number(c), 0) / 765;
  assert.ok(luminance(colours.light) > 0.8, `light background ${colours.light}`);
  assert.ok(luminance(colours.dark) < 0.2, `dark background ${colours.dark}`);
});

test("the theme toggle overrides the system setting, survives a reload, and is applied before the page is drawn", async () => {
  const context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(new URL("konti/index.html", base).href);
  const toggle = page.locator(".theme-toggle");
  assert.equal(await toggle.isVisible(), true, "the toggle shows with JavaScript");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const codeColour = () => page.evaluate(() => getComputedStyle(document.querySelector(".code pre code")).color);
  const lightBg = await background();
  const lightCode = await codeColour();
  await toggle.click(); // system -> light
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  await toggle.click(); // light -> dark
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.notEqual(await background(), lightBg, "the page turns dark on a light system");
  assert.notEqual(await codeColour(), lightCode, "the code turns dark too");
  await page.reload();
  // The head script ran before the first paint: the attribute is there at DOMContentLoaded.
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.notEqual(await background(), lightBg, "dark after a reload");
  await page.locator(".theme-toggle").click(); // dark -> system
  assert.equal(await page.evaluate(() => document.documentElement.hasAttribute("data-theme")), false);
  assert.equal(await background(), lightBg, "back to the system's light");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the contents list links to each heading: a side rail on wide screens, collapsed on phones", async () => {
  for (const [name, viewport, open] of [["desktop", { width: 1440, height: 900 }, true], ["phone", { width: 390, height: 844 }, false]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(new URL("tilslut-bank/index.html", base).href);
    const details = page.locator(".toc details");
    assert.equal(await details.evaluate((d) => d.open), open, `${name}: contents open`);
    if (!open) await page.locator(".toc summary").click();
    const links = await page.locator(".toc a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const headings = await page.locator(".prose h2[id]:not(.card-title), .prose h3[id]:not(.card-title)").evaluateAll((hs) => hs.map((h) => "#" + h.id));
    assert.deepEqual(links, headings, `${name}: one link per h2/h3, in order`);
    if (open) {
      const rail = await page.locator(".toc").boundingBox();
      const article = await page.locator("article.step").boundingBox();
      assert.ok(rail.x > article.x + article.width - 1, "the rail is beside the text");
      await page.locator(".toc a").nth(3).click();
      await page.waitForTimeout(300);
      const current = await page.locator('.toc a[aria-current="location"]').getAttribute("href");
      assert.equal(current, links[3], "the section scrolled to is marked");
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("a page without a contents rail is centred under the header on a wide screen", async () => {
  const plain = process.env.PLAIN_URL;
  assert.ok(plain, "PLAIN_URL is not set: run tests/e2e/run");
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(new URL("step-1/index.html", plain).href);
  assert.equal(await page.locator(".toc").count(), 0, "the page has no contents");
  const header = await page.locator(".site-header .wrap").first().boundingBox();
  const article = await page.locator("article.step").boundingBox();
  const centre = (b) => b.x + b.width / 2;
  assert.ok(Math.abs(centre(article) - centre(header)) <= 2, `the text is centred under the header (text ${JSON.stringify(article)}, header ${JSON.stringify(header)})`);
  await context.close();
});

test("a 50- and a 12-step walkthrough on a phone: no sideways scroll, the current step visible", async () => {
  const long = process.env.LONG_URL;
  const twelve = process.env.TWELVE_URL;
  assert.ok(long && twelve, "LONG_URL or TWELVE_URL is not set: run tests/e2e/run");
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = watch(page);
  for (const [site, n] of [[long, 1], [long, 25], [long, 50], [twelve, 1], [twelve, 9], [twelve, 12]]) {
    await page.goto(new URL(`step-${n}/index.html`, site).href);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `step ${n}: the page scrolls sideways by ${overflow}px`);
    const current = page.locator('.stepper [aria-current="step"]');
    const box = await current.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `step ${n}: the current step is visible (${JSON.stringify(box)})`);
    assert.equal(await page.locator(".stepper a").first().getAttribute("href"), "../step-1/index.html", "the first step is reachable");
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("print.html holds every step with its cards, one snippet language, and prints without the navigation", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(new URL("print.html", base).href);
  const titles = (await page.locator(".print-step-title").allTextContents()).map((t) => t.replace(/^\s*\d+\s*/, "").trim());
  const index = await browser.newPage();
  await index.goto(base);
  const expected = (await index.locator(".step-list .title").allTextContents()).map((t) => t.trim());
  await index.close();
  assert.deepEqual(titles, expected, "every step, in order");
  const cards = await page.locator(".card").count();
  assert.ok(cards >= 10, `${cards} cards`);
  assert.equal(await page.locator("[data-snippets] .snippet").count(), await page.locator("[data-snippets]").count(), "one snippet per card");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header").isVisible(), false, "no navigation in print");
  assert.equal(await page.locator(".print-step").first().isVisible(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the language switch goes to the same step in the other language and back", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  const urls = await stepUrls();
  await page.goto(urls[2]);
  const danish = (await page.locator("h1").textContent()).trim();
  await page.click('.language-switch a[hreflang="en"]');
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok(page.url().endsWith("/en/tilslut-bank/index.html"), page.url());
  const english = (await page.locator("h1").textContent()).trim();
  assert.match(english, /^Connect a bank/);
  assert.notEqual(english, danish);
  assert.equal(await page.locator('.language-switch [aria-current="page"]').textContent(), "English");
  assert.equal((await page.locator('.stepper [aria-current="step"]').textContent()).includes("Connect bank"), true);
  await page.click('.language-switch a[hreflang="da"]');
  assert.equal(page.url(), urls[2]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("search finds the one step that has a word, first, under the sub-path and from disk", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(base);
  // "sessionExpiryDate" appears only in step 6 (webhooks).
  const started = Date.now();
  await page.fill("#search-q", "sessionExpiryDate");
  const first = page.locator(".search-results a").first();
  await first.waitFor();
  const shownAfter = Date.now() - started;
  assert.match(await first.textContent(), /^6\. Webhooks/);
  assert.equal(await page.locator(".search-results a").count(), 1);
  await first.click();
  assert.ok(page.url().startsWith(`${base}webhooks/index.html`), page.url());
  // Two words, both required; a heading match links to the heading.
  await page.fill("#search-q", "levetid token");
  await page.locator(".search-results a").first().waitFor();
  assert.match(await page.locator(".search-results a").first().getAttribute("href"), /auth\/index\.html#levetid/);
  await page.fill("#search-q", "zzqqxx");
  await page.locator(".search-results .hit-none").waitFor();
  assert.deepEqual(problems, []);
  // The English site searches the English text.
  await page.goto(`${base}en/`);
  await page.fill("#search-q", "delegated");
  await page.locator(".search-results a").first().waitFor();
  assert.match(await page.locator(".search-results a").first().textContent(), /^3\. Connect a bank/);
  await page.close();
  // From disk, without a server.
  const disk = await browser.newPage();
  await disk.goto(`file://${process.env.SITE_DIR}/index.html`);
  await disk.fill("#search-q", "sessionExpiryDate");
  await disk.locator(".search-results a").first().waitFor();
  assert.match(await disk.locator(".search-results a").first().textContent(), /^6\. Webhooks/);
  await disk.close();
  console.log(`search: first result shown ${shownAfter} ms after typing (index loaded on first use)`);
});

test("search on a 500-step walkthrough finds a step by its number", async () => {
  const page = await browser.newPage();
  await page.goto(process.env.FIVE_URL);
  // Timed in the page, from the input event to the first result drawn.
  const timed = (query) => page.evaluate(async (q) => {
    const input = document.querySelector("#search-q");
    const list = document.querySelector(".search-results");
    list.textContent = "";
    const t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input"));
    while (!list.querySelector("a")) await new Promise((r) => setTimeout(r, 1));
    return Math.round(performance.now() - t0);
  }, query);
  await page.focus("#search-q");
  const cold = await timed("437");
  assert.match(await page.locator(".search-results a").first().textContent(), /^437\. Step 437/);
  const warm = await timed("step 12");
  console.log(`search, 500 steps: first result ${cold} ms after the first query (index loading since focus), ${warm} ms for the next`);
  await page.close();
});

test("search on a 5,000-step walkthrough fetches at most 100 KB in at most 3 requests after the manifest, under a sub-path and from disk", async () => {
  const { statSync } = await import("node:fs");
  for (const where of [process.env.HUGE_URL, `file://${process.env.HUGE_DIR}/index.html`]) {
    const page = await browser.newPage();
    const problems = watch(page);
    const fetched = [];
    page.on("request", (r) => {
      const m = r.url().match(/\/huge\/(search[-/].*)$/);
      if (m) fetched.push(m[1]);
    });
    const bytes = (files) => files.reduce((n, f) => n + statSync(`${process.env.HUGE_DIR}/${f}`).size, 0);
    await page.goto(where);
    await page.focus("#search-q");
    await page.waitForFunction(() => window.STEPDOC_SEARCH_MANIFEST);
    assert.deepEqual(fetched, ["search/index.js"], "focus loads the manifest only");
    await page.fill("#search-q", "437");
    await page.locator(".search-results a").first().waitFor();
    assert.match(await page.locator(".search-results a").first().textContent(), /^437\. Step 437/);
    const first = fetched.slice(1);
    const firstBytes = bytes(fetched);
    assert.ok(first.length <= 3, `first query: ${first.join(", ")}`);
    assert.ok(firstBytes <= 100 * 1024, `first query: ${firstBytes} bytes`);
    const before = fetched.length;
    await page.fill("#search-q", "");
    await page.fill("#search-q", "decimal");
    await page.locator(".search-results a").first().waitFor();
    const next = fetched.slice(before);
    assert.ok(next.length <= 3, `next query: ${next.join(", ")}`);
    assert.match(await page.locator(".search-results .hit-text").first().textContent(), /decimal/i);
    assert.deepEqual(problems, []);
    console.log(`search, 5,000 steps (${where.startsWith("file:") ? "from disk" : "sub-path"}): first query ${first.length} request(s) after the manifest, ${firstBytes} bytes in all; next query ${next.length} request(s), ${bytes(next)} bytes`);
    await page.close();
  }
});

test("a search for a request's method and path finds its card", async () => {
  const page = await browser.newPage();
  await page.goto(base);
  await page.fill("#search-q", "POST /api/v1/user");
  const first = page.locator(".search-results a").first();
  await first.waitFor();
  assert.match(await first.getAttribute("href"), /opret-bruger\/index\.html#request-create-user$/);
  assert.match(await first.locator(".hit-text").textContent(), /POST \/api\/v1\/user\/create/);
  await page.close();
});

test("axe finds no serious or critical violations, in either colour scheme and language", async () => {
  const pages = [base, ...(await stepUrls()), `${base}en/`, ...(await stepUrls(`${base}en/`))];
  const found = [];
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    for (const url of pages) {
      await page.goto(url);
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
      for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        found.push(`${colorScheme} ${url}: ${v.id} (${v.impact}) ${v.nodes.length}x: ${v.nodes[0]?.target}`);
      }
    }
    await context.close();
  }
  assert.deepEqual(found, []);
});

test("every page has a title, lang, description, skip link, landmarks and a visible focus", async () => {
  const page = await browser.newPage();
  const danish = [base, ...(await stepUrls())].map((url) => [url, "da"]);
  const english = [`${base}en/`, ...(await stepUrls(`${base}en/`))].map((url) => [url, "en"]);
  for (const [url, lang] of [...danish, ...english]) {
    await page.goto(url);
    assert.match(await page.title(), /Tink for MoneyCapp/);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    assert.ok((await page.getAttribute('meta[name="description"]', "content")).length > 20);
    for (const landmark of ["header", "nav", "main", "footer"]) {
      assert.equal(await page.locator(landmark).first().count(), 1, `${url}: no <${landmark}>`);
    }
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { cls: el.className, href: el.getAttribute("href"), outline: getComputedStyle(el).outlineStyle };
    });
    assert.equal(focused.cls, "skip-link");
    assert.equal(focused.href, "#main");
    assert.notEqual(focused.outline, "none", "focus is visible");
  }
  await page.close();
});
