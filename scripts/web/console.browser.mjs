// The console in a real headless Chromium: it loads, connects, subscribes to a channel through the
// form, an event posted over HTTP appears on the page, and a screenshot is saved.
//   node scripts/web/console.browser.mjs http://127.0.0.1:8080 target/console.png
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(base + "/");
  await page.locator("#status[data-state=open]").waitFor({ timeout: 15000 });
  await page.fill("#channel", "browser:1");
  await page.click("#subscribe-form button");
  await page.locator("#events li", { hasText: "subscribed to browser:1" }).waitFor({ timeout: 10000 });
  const res = await fetch(base + "/api/events", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "user_invited", channel: "browser:1", data: { email: "seen@in.browser" } }) });
  const { id } = await res.json();
  await page.locator("#events li.event", { hasText: id }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (problems.length) throw new Error("page errors: " + problems.join("; "));
  console.log(`event ${id} appeared on the page; screenshot ${screenshot}`);
} finally {
  await browser.close();
}
