// Drives the web host's playground page in headless Chromium (Debian's /usr/bin/chromium through playwright-core;
// no browser is downloaded): loads the page, waits for the model picker, types a prompt, sends it, waits for the
// streamed answer, clicks thumbs-up and waits for the page to confirm the feedback. Prints one JSON line with what
// it saw, for the C# test (PlaygroundBrowserTests) to check against the feedback store.
// Usage: node playground.test.mjs <base-url> [prompt]
import { chromium } from "playwright-core";

const [baseUrl, prompt = "Write a product description for a linen shirt"] = process.argv.slice(2);
if (!baseUrl) {
  console.error("usage: node playground.test.mjs <base-url> [prompt]");
  process.exit(2);
}

const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.setDefaultTimeout(30_000);

  await page.goto(baseUrl);
  await page.waitForSelector("#model option[value='tiny-gpt2:formal']", { state: "attached" });
  const models = await page.$$eval("#model option", (options) => options.map((o) => o.value));
  await page.selectOption("#model", "tiny-gpt2:formal");
  await page.fill("#prompt", prompt);
  await page.click("#send");

  // The answer is built from the streamed chunks; the feedback box appears when the stream has ended.
  await page.waitForFunction(() => document.getElementById("answer").textContent.length > 0);
  await page.waitForSelector("#feedback:not([hidden])");
  const answer = await page.textContent("#answer");
  const chunks = Number(await page.getAttribute("#answer", "data-chunks"));
  const completionId = await page.getAttribute("#answer", "data-completion-id");
  const status = await page.textContent("#status");

  await page.fill("#correction", "A breezy linen shirt for warm days.");
  await page.click("#thumbs-up");
  await page.waitForFunction(() => document.getElementById("feedback-status").textContent.startsWith("feedback stored"));
  const feedbackStatus = await page.textContent("#feedback-status");

  console.log(JSON.stringify({ models, answer, chunks, completionId, status, feedbackStatus, errors }));
} finally {
  await browser.close();
}
