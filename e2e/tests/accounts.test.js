// Register → log in → settings → log out, in a real browser: at desktop and
// phone widths, with JavaScript on and off, in English and Spanish; axe-core
// checks every page visited.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertOnlyOwnRequests, checkA11y, launch, login, newPage, QUICK_EXIT, register, startServer, uniqueHandle, openMenu } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function visit(page, path, label) {
  const response = await page.goto(server.base + path);
  await checkA11y(page, label);
  return response;
}

async function registerFlow(page, { js }) {
  const handle = uniqueHandle("river");
  await visit(page, "/", "home");
  await page.getByRole("link", { name: "Join with a pseudonym" }).click();
  await checkA11y(page, "register");

  // A first attempt with mistakes keeps what was typed and explains them.
  await page.getByLabel("Handle").fill("no spaces please");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Type the password again").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await checkA11y(page, "register with errors");
  assert.equal(await page.getByLabel("Handle").inputValue(), "no spaces please");
  await assert.doesNotReject(page.getByText("Please check the following").waitFor());
  if (js) {
    const focused = await page.evaluate(() => document.activeElement?.className);
    assert.equal(focused, "error-summary", "the error summary takes focus");
  }

  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByLabel("18 or older").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Hearth").waitFor();
  await checkA11y(page, "home, logged in");
  return handle;
}

async function settingsAndLogout(page, handle) {
  await openMenu(page);
  await page.getByRole("link", { name: /Your account/ }).click();
  await page.getByRole("heading", { name: "Your account", exact: true }).waitFor();
  await checkA11y(page, "settings");
  assert.ok((await page.content()).includes(handle));

  await page.getByLabel("Language", { exact: true }).selectOption("es");
  await page.getByRole("button", { name: "Save preferences" }).click();
  await page.getByText("Tus preferencias están guardadas.").waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "es");
  await checkA11y(page, "settings in Spanish");
  await page.getByLabel("Idioma", { exact: true }).selectOption("en");
  await page.getByRole("button", { name: "Guardar preferencias" }).click();
  await page.getByText("Your preferences are saved.").waitFor();

  await openMenu(page);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await page.getByText("You have logged out.").waitFor();
  await checkA11y(page, "login after logout");

  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill("a wrong password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.locator("#handle-error").getByText("That handle and password don't match an account.").waitFor();
  await checkA11y(page, "login with error");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByText("You are logged in.").waitFor();
  await openMenu(page);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await page.getByText("You have logged out.").waitFor();
}

for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 320, height: 640 }],
]) {
  describe(`at ${name} width`, () => {
    test("register, settings, log out and back in, with JavaScript", async () => {
      const page = await newPage(browser, server, { viewport });
      const handle = await registerFlow(page, { js: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at ${viewport.width}px (overflow ${overflow}px)`);
      const cookies = await page.evaluate(() => document.cookie);
      assert.equal(cookies, "", "scripts cannot read the session or CSRF cookies");
      await settingsAndLogout(page, handle);
      for (const path of ["/help", "/no-such-page", "/help?region=MX&lang=es"]) await visit(page, path, path);
      assertOnlyOwnRequests(page, server);
      await page.context().close();
    });
  });
}

test("the same flow works with JavaScript turned off", async () => {
  const page = await newPage(browser, server, { javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
  const handle = await registerFlow(page, { js: false });
  await settingsAndLogout(page, handle);
  assertOnlyOwnRequests(page, server);
  await page.context().close();
});

test("a Spanish browser gets Spanish pages throughout", async () => {
  const page = await newPage(browser, server, { locale: "es-ES", extraHTTPHeaders: { "accept-language": "es-ES,es;q=0.9" } });
  await visit(page, "/", "home in Spanish");
  assert.equal(await page.getAttribute("html", "lang"), "es");
  await page.getByRole("link", { name: "Únete con un seudónimo" }).click();
  await checkA11y(page, "register in Spanish");
  await page.getByLabel("Nombre de usuario").fill(uniqueHandle("luz"));
  await page.getByLabel("Contraseña", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Escribe la contraseña otra vez").fill(PASSWORD);
  await page.getByLabel("18 o más").check();
  await page.getByRole("button", { name: "Crear cuenta" }).click();
  await page.getByText("Te damos la bienvenida a Hearth.").waitFor();
  await page.getByRole("link", { name: "Pide ayuda ahora" }).first().click();
  await page.getByRole("heading", { name: "Pide ayuda ahora" }).waitFor();
  await checkA11y(page, "help in Spanish");
  assert.ok((await page.content()).includes("Líneas de crisis en España"));
  assertOnlyOwnRequests(page, server);
  await page.context().close();
});

test("registration can be completed with the keyboard alone", async () => {
  const page = await newPage(browser, server);
  await page.goto(server.base + "/register");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to main content", "the skip link comes first");
  await page.keyboard.press("Enter");
  const order = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
  }
  const handleAt = order.indexOf("handle");
  assert.ok(handleAt >= 0, `the handle field is reachable: ${order.join(", ")}`);
  assert.deepEqual(order.slice(handleAt, handleAt + 5), ["handle", "password", "password_confirm", "email", "age-adult"]);
  await page.focus("#handle");
  await page.keyboard.type(uniqueHandle("keys"));
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await page.keyboard.press("Enter");
  await page.getByText("Welcome to Hearth").waitFor();
  await page.context().close();
});

test("quick exit leaves at once, by button and by pressing Escape twice", async () => {
  const page = await newPage(browser, server);
  await page.goto(server.base + "/help");
  await page.getByRole("link", { name: /Quick exit/ }).click();
  await page.waitForURL(QUICK_EXIT);
  await page.goto(server.base + "/");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.waitForURL(QUICK_EXIT);
  await page.context().close();

  const nojs = await newPage(browser, server, { javaScriptEnabled: false });
  await nojs.goto(server.base + "/");
  await nojs.getByRole("link", { name: /Quick exit/ }).click();
  await nojs.waitForURL(QUICK_EXIT);
  await nojs.context().close();
});

test("pages people reach less often are accessible too", async () => {
  const page = await newPage(browser, server, { viewport: { width: 1024, height: 768 } });
  await page.goto(server.base + "/register");
  await page.getByLabel("Handle").fill(uniqueHandle("young"));
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByLabel("Under 13").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Hearth is for people aged 13 and over" }).waitFor();
  await checkA11y(page, "too young");

  await registerFlow(page, { js: true });
  await page.goto(server.base + "/account");
  await page.getByLabel("Your current password").first().fill("not my password");
  await page.getByLabel("New password").fill("violet harbor canyon bell");
  await page.getByLabel("Type the password again").fill("violet harbor canyon bell");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator("#current_password-error").waitFor();
  await checkA11y(page, "settings with an error");
  await visit(page, "/help?region=GB", "help for the UK");
  assertOnlyOwnRequests(page, server);
  await page.context().close();
});

test("a member who forgot their password gets back in with a link an admin made", async () => {
  const { page: member, handle } = await register(browser, server, "forgetful", PASSWORD);
  await member.context().close();

  // Without mail, the page says whom to ask.
  const asker = await newPage(browser, server, { viewport: { width: 320, height: 640 } });
  await asker.goto(server.base + "/login");
  await asker.getByRole("link", { name: "Forgot your password?" }).click();
  await asker.getByRole("heading", { name: "Reset your password" }).waitFor();
  await checkA11y(asker, "forgot password, mail off");

  const admin = await newPage(browser, server);
  server.makeAdmin("reset_admin", PASSWORD);
  await login(admin, server, "reset_admin", PASSWORD);
  await admin.goto(server.base + "/admin/people?q=" + handle);
  await admin.getByRole("button", { name: `Make a password reset link (${handle})` }).click();
  await admin.getByRole("heading", { name: "A password reset link" }).waitFor();
  await checkA11y(admin, "admin's reset link");
  const link = await admin.getByLabel("The link").inputValue();
  await admin.context().close();

  // At a phone's width, with the keyboard.
  await asker.goto(link);
  await checkA11y(asker, "choose a new password");
  await asker.getByLabel("New password").fill("violet harbor canyon bell");
  await asker.getByLabel("Type the password again").fill("violet harbor canyon bell");
  await asker.keyboard.press("Enter");
  await asker.getByText("Your password is changed").waitFor();
  await login(asker, server, handle, "violet harbor canyon bell");
  // The second factor's set-up, with its QR code, at a phone's width.
  await asker.goto(server.base + "/account/security");
  await checkA11y(asker, "second factor, off");
  await asker.getByRole("button", { name: "Set up an authenticator app" }).click();
  await asker.getByRole("img", { name: "QR code" }).waitFor();
  await checkA11y(asker, "second factor set-up");
  await asker.goto(link);
  await asker.getByText("This link has expired or was already used.").waitFor();
  await checkA11y(asker, "a used reset link");
  assertOnlyOwnRequests(asker, server);
  await asker.context().close();
});

test("an admin starts a group; a member finds it with filters and joins it", async () => {
  server.makeAdmin("e2e_admin", "quartz meadow lantern fig");
  const admin = await newPage(browser, server);
  await admin.goto(server.base + "/login");
  await admin.getByLabel("Handle").fill("e2e_admin");
  await admin.getByLabel("Password").fill("quartz meadow lantern fig");
  await admin.getByRole("button", { name: "Log in", exact: true }).click();
  await admin.getByText("You are logged in.").waitFor();
  await openMenu(admin);
  await admin.getByRole("link", { name: "Groups", exact: true }).click();
  await checkA11y(admin, "directory, empty");
  await admin.getByRole("link", { name: "Start or propose a group" }).click();
  await admin.getByRole("button", { name: "Create group" }).click();
  await admin.getByText("Please check the following").waitFor();
  await checkA11y(admin, "new group with errors");
  await admin.getByLabel("Name").fill("Evening Circle");
  await admin.getByLabel("What the group is for").fill("A gentle evening check-in for people living with anxiety.");
  await admin.getByLabel("Anxiety").check();
  await admin.getByLabel("Chat").check();
  await admin.getByRole("button", { name: "Create group" }).click();
  await admin.getByText("Your group is live.").waitFor();
  await checkA11y(admin, "group page, facilitator");
  // The group's settings, and the site's, by keyboard-reachable links.
  await admin.getByRole("link", { name: "Group settings" }).click();
  await admin.getByRole("heading", { name: "Settings of Evening Circle" }).waitFor();
  await checkA11y(admin, "group settings");
  await admin.getByLabel("What the group is for").fill("");
  await admin.getByRole("button", { name: "Save the group's settings" }).click();
  await admin.getByText("Please check the following").waitFor();
  await checkA11y(admin, "group settings with an error");
  await admin.getByLabel("What the group is for").fill("A gentle evening check-in for people living with anxiety, every night.");
  await admin.getByRole("button", { name: "Save the group's settings" }).click();
  await admin.getByText("The group's settings are saved.").waitFor();
  await admin.goto(server.base + "/admin/site");
  await checkA11y(admin, "the site's settings");
  await admin.getByRole("button", { name: "Make an invitation link" }).click();
  await admin.getByLabel("Invitation link").waitFor();
  await checkA11y(admin, "the site's settings with a new invitation");
  await admin.context().close();

  const page = await newPage(browser, server, { viewport: { width: 320, height: 640 } });
  await registerFlow(page, { js: true });
  await page.getByLabel("Anxiety").check();
  await page.getByRole("button", { name: "Show groups for me" }).click();
  await page.getByRole("heading", { name: "Groups for you" }).waitFor();
  await page.getByText("Why: Anxiety").waitFor();
  await checkA11y(page, "onboarding with recommendations");
  await openMenu(page);
  await page.getByRole("link", { name: "Groups", exact: true }).click();
  await page.getByLabel("Living with").selectOption("anxiety");
  await page.getByLabel("Format").selectOption("chat");
  await page.getByRole("button", { name: "Show groups" }).click();
  await page.getByText("1 group (page 1 of 1)").waitFor();
  await checkA11y(page, "directory, filtered");
  await page.getByRole("link", { name: "Evening Circle" }).click();
  await page.getByRole("button", { name: "Join this group" }).click();
  await page.getByText("Welcome to the group.").waitFor();
  await checkA11y(page, "group page, member");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on the group page (overflow ${overflow}px)`);
  assertOnlyOwnRequests(page, server);
  await page.context().close();
});

test("a closed group's facilitator welcomes someone who asked to join", async () => {
  const admin = await newPage(browser, server);
  await admin.goto(server.base + "/login");
  await admin.getByLabel("Handle").fill("e2e_admin");
  await admin.getByLabel("Password").fill("quartz meadow lantern fig");
  await admin.getByRole("button", { name: "Log in", exact: true }).click();
  await admin.goto(server.base + "/groups/new");
  await admin.getByLabel("Name").fill("Quiet Room");
  await admin.getByLabel("What the group is for").fill("A small, closed circle for people living with grief.");
  await admin.getByLabel("Joined by request").check();
  await admin.getByLabel(/Questions for people who ask to join/).fill("What brings you here?");
  await admin.getByRole("button", { name: "Create group" }).click();
  await admin.getByText("Your group is live.").waitFor();

  const page = await newPage(browser, server);
  await registerFlow(page, { js: true });
  await page.goto(server.base + "/groups/quiet-room");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await page.getByText("Please check the following").waitFor();
  await checkA11y(page, "ask to join with an error");
  await page.getByLabel("What brings you here?").fill("I lost my father this spring.");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await page.getByText("The facilitators will look at your request soon.").waitFor();
  await checkA11y(page, "request sent");

  await admin.goto(server.base + "/groups/quiet-room");
  await admin.getByRole("link", { name: "1 request to join is waiting" }).click();
  await admin.getByText("I lost my father this spring.").waitFor();
  await checkA11y(admin, "requests to join");
  await admin.getByLabel("Message to them (optional)").fill("Welcome, we are glad you are here.");
  await admin.getByRole("button", { name: /Welcome them/ }).click();
  await admin.getByText("They are now a member.").waitFor();

  // The facilitator's welcome reaches them, on their home and in their
  // notifications.
  await page.goto(server.base + "/");
  await page.getByText("Welcome, we are glad you are here.").waitFor();
  await checkA11y(page, "member home with a welcome");
  await page.goto(server.base + "/notifications");
  await page.getByText("Your request to join Quiet Room was approved.").waitFor();
  await page.getByText("Welcome, we are glad you are here.").waitFor();
  await checkA11y(page, "notifications with a welcome");
  await page.goto(server.base + "/groups/quiet-room");
  await page.getByText("You are a").waitFor();
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByText("Only members of this group and the moderators see this list.").waitFor();
  await checkA11y(page, "member list");
  await admin.goto(server.base + "/groups/quiet-room/members");
  await checkA11y(admin, "member list, facilitator");
  await admin.goto(server.base + "/admin/groups");
  await checkA11y(admin, "group proposals");
  await admin.getByRole("link", { name: "Group topics" }).click();
  await checkA11y(admin, "topics");
  assertOnlyOwnRequests(page, server);
  await page.context().close();
  await admin.context().close();
});

test("the server log holds no passwords", () => {
  const log = server.logs.join("");
  assert.ok(log.length > 0);
  assert.ok(!log.includes(PASSWORD), "a password appeared in the log");
});
