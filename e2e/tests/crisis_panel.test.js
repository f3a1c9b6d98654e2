// Issue 15's browser checks: crisis lines reach the writer where they are
// writing, at phone and desktop widths, with their own region's lines on
// every write path (forum and live chat alike), the same lines /help shows,
// staying until the writer hides them; and a moderator online hears of it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { checkA11y, launch, newPage, startServer, uniqueHandle } from "./harness.js";

const PASSWORD = "harbour lantern quiet moss";
const ADMIN_PASSWORD = "copper willow tide marble";
const RISKY_ES = "Ya junté las pastillas y esta noche me las tomo todas. Adiós a todos.";
const RISKY_EN = "I have the pills saved and I'm taking all of them tonight. Goodbye everyone.";
let server;
let browser;
let admin;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.makeAdmin("panel_admin", ADMIN_PASSWORD);
  admin = await newPage(browser, server);
  await admin.goto(server.base + "/login");
  await admin.getByLabel("Handle").fill("panel_admin");
  await admin.getByLabel("Password").fill(ADMIN_PASSWORD);
  await admin.getByRole("button", { name: "Log in", exact: true }).click();
  await admin.getByText("You are logged in.").waitFor();
  await admin.goto(server.base + "/groups/new");
  await admin.getByLabel("Name").fill("Lighthouse");
  await admin.getByLabel("What the group is for").fill("A calm place to talk through hard nights together.");
  await admin.getByLabel("Anxiety").check();
  await admin.getByRole("button", { name: "Create group" }).click();
  await admin.getByText("Your group is live.").waitFor();
  await admin.goto(server.base + "/groups/lighthouse/threads/new");
  await admin.getByLabel("Title").fill("Check-in thread");
  await admin.getByLabel("What would you like to say?").fill("How is everyone doing this week?");
  await admin.getByRole("button", { name: "Post thread" }).click();
  await admin.getByText("How is everyone doing this week?").waitFor();
  admin.threadUrl = admin.url().split("?")[0].split("#")[0];
  // The moderator stays on a page: alerts reach it live.
  await admin.goto(server.base + "/groups");
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// A member whose browser asks for `locale` (the account's region left to
/// the browser), at `width` px, joined to the group.
async function member(locale, width) {
  const spanish = locale.startsWith("es");
  const page = await newPage(browser, server, { locale, viewport: { width, height: 740 } });
  const handle = uniqueHandle("tide");
  await page.goto(server.base + "/register");
  await page.getByLabel(spanish ? "Nombre de usuario" : "Handle").fill(handle);
  await page.getByLabel(spanish ? "Contraseña" : "Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel(spanish ? "Escribe la contraseña otra vez" : "Type the password again").fill(PASSWORD);
  await page.getByLabel(spanish ? "18 o más" : "18 or older").check();
  await page.getByRole("button", { name: spanish ? "Crear cuenta" : "Create account" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/register"));
  await page.goto(server.base + "/groups/lighthouse");
  await page.getByRole("button", { name: spanish ? "Unirme al grupo" : "Join this group" }).click();
  await page.waitForLoadState();
  page.handle = handle;
  return page;
}

/// The panel is on screen, and the composer `composer` comes right after
/// it (nothing between the lines and where the writer types).
async function assertBesideComposer(page, composer, label) {
  const panel = page.locator("#crisis-panel");
  await panel.waitFor();
  const viewport = page.viewportSize();
  const box = await panel.boundingBox();
  assert.ok(box, `${label}: the panel has a box`);
  const near = await page.evaluate((selector) => {
    const p = document.getElementById("crisis-panel");
    const c = document.querySelector(selector);
    if (!p || !c) return "missing";
    if (!(p.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING)) return "composer before panel";
    // Between them: nothing taller than a heading's worth of page.
    const gap = c.getBoundingClientRect().top - p.getBoundingClientRect().bottom;
    return gap < 160 ? "ok" : `gap ${Math.round(gap)} px`;
  }, composer);
  assert.equal(near, "ok", `${label}: the panel sits right above the composer`);
}

for (const width of [375, 1280]) {
  test(`es-MX at ${width} px: forum and chat show Mexico's lines beside the composer`, async () => {
    const m = await member("es-MX", width);
    const badge = admin.locator("[data-alert-badge]");
    const before = (await badge.textContent()).trim();

    // A reply in the forum: the panel above the reply box, Mexico's lines.
    await m.goto(admin.threadUrl);
    await m.getByLabel("Tu respuesta").fill(RISKY_ES);
    await m.getByRole("button", { name: "Publicar respuesta" }).click();
    await assertBesideComposer(m, "#reply", "forum");
    const forumPanel = m.locator("#crisis-panel");
    await forumPanel.getByText("Línea de la Vida").waitFor();
    assert.equal(await forumPanel.getByText("988", { exact: false }).count(), 0, "no United States lines");
    assert.equal(await m.evaluate(() => document.activeElement?.id), "crisis-panel", "focus on the lines");
    await checkA11y(m, `forum reply with the crisis panel at ${width} px`);

    // The moderator, online, hears of it without reloading.
    await admin.waitForFunction(
      (was) => document.querySelector("[data-alert-badge]")?.textContent.trim() !== was,
      before,
      { timeout: 10000 },
    );

    // Thirty lines of chat, then the same words: the same region's lines,
    // right above the composer, in view, until hidden.
    await m.goto(server.base + "/groups/lighthouse/chat");
    await m.getByText("Conectado: los mensajes nuevos aparecen aquí al enviarse.").waitFor();
    const box = m.locator("#body");
    // Paced under the chat's rate limit (a burst of 10, then 2 a second).
    for (let i = 1; i <= 30; i++) {
      if (i > 8) await m.waitForTimeout(550);
      const line = `mensaje ${i} de ${m.handle}`;
      await box.fill(line);
      await box.press("Enter");
      await m.locator("#chat-log li:not(.pending) p.body", { hasText: new RegExp(`^${line}$`) }).waitFor();
    }
    assert.equal(await m.locator("#crisis-panel").count(), 0, "no crisis lines for ordinary chat");
    await box.fill(RISKY_ES);
    await box.press("Enter");
    await assertBesideComposer(m, "#chat-form", "chat");
    const chatPanel = m.locator("#crisis-live #crisis-panel");
    await chatPanel.getByText("Línea de la Vida").waitFor();
    assert.equal(await chatPanel.getByText("988", { exact: false }).count(), 0, "no United States lines in chat");
    await m.locator("#chat-log li:not(.pending) p.body", { hasText: "me las tomo todas" }).last().waitFor();
    await checkA11y(m, `chat room with the crisis panel at ${width} px`);

    // It stays until the writer hides it; then they are back in the composer.
    await m.waitForTimeout(1500);
    await chatPanel.waitFor();
    await chatPanel.getByRole("button", { name: "Ocultar estas líneas" }).click();
    assert.equal(await m.locator("#crisis-panel").count(), 0, "hidden once dismissed");
    assert.equal(await m.evaluate(() => document.activeElement?.id), "body", "back in the composer");
  });
}

test("the panel shows every detail /help shows (988 then press 1, HOME, START)", async () => {
  const m = await member("en-US", 1280);
  await m.goto(admin.threadUrl);
  await m.getByLabel("Your reply").fill(RISKY_EN);
  await m.getByRole("button", { name: "Post reply" }).click();
  const panel = m.locator("#crisis-panel");
  await panel.waitFor();
  const lines = async (locator) =>
    (await locator.locator("li.line").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
  const inPanel = await lines(panel);
  await m.goto(server.base + "/help");
  const onHelp = await lines(m.locator("main"));
  assert.ok(inPanel.length > 0, "the panel lists lines");
  for (const line of inPanel) assert.ok(onHelp.includes(line), `/help shows the panel's line as it is: ${line}`);
  const all = inPanel.join("\n");
  assert.match(all, /988 then press 1/);
  assert.match(all, /HOME → 741741/);
  assert.match(all, /START → 678678/);
});
