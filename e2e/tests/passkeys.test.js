// Passkeys, with Chromium's virtual authenticator (the DevTools protocol's
// WebAuthn domain): an admin whose tools wait for a second factor adds a
// passkey, logs out, and logs back in with the passkey alone; their tools
// open at once. The site runs at http://localhost (browsers offer passkeys
// only to a domain name). axe-core on each page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { assertOnlyOwnRequests, checkA11y, launch, login, newPage, openMenu, startServer } from "./harness.js";

const PASSWORD = "quartz meadow lantern fig";
let server;
let browser;

before(async () => {
  server = await startServer([], {}, "staff_second_factor = true\n", { host: "localhost" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("an admin adds a passkey and logs in with it alone; their tools open", async () => {
  server.makeAdmin("key_admin", PASSWORD);
  const page = await newPage(browser, server, { viewport: { width: 375, height: 800 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  // With a password only, the admin's tools wait.
  await login(page, server, "key_admin", PASSWORD);
  await page.getByText("Your moderator tools wait for a second factor").first().waitFor();
  const hub = await page.goto(server.base + "/admin");
  assert.equal(hub.status(), 403);

  await page.goto(server.base + "/account/security");
  await page.getByLabel("A name for this passkey").fill("my phone");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByText("Your passkey is added.").waitFor();
  await page.locator(".passkeys strong", { hasText: "my phone" }).waitFor();
  await checkA11y(page, "security page with a passkey");

  await openMenu(page);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await page.getByText("You have logged out.").waitFor();
  await page.getByRole("button", { name: "Log in with a passkey" }).click();
  await page.getByText("You are logged in.").waitFor();
  const again = await page.goto(server.base + "/admin");
  assert.equal(again.status(), 200, "a passkey proves both factors");
  await page.getByRole("heading", { name: "Administration" }).waitFor();

  // With an authenticator app on too, a password log-in asks for the
  // second step, and the passkey answers it.
  await page.goto(server.base + "/account/security");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const key = await page.locator("#totp-secret").textContent();
  await page.getByLabel("Your current password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("The code the app shows").fill(totp(key));
  await page.getByRole("button", { name: "Turn on the second factor" }).click();
  await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
  await openMenu(page);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await page.getByLabel("Handle").fill("key_admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByRole("heading", { name: "Enter your code" }).waitFor();
  await checkA11y(page, "the code step with a passkey offered");
  await page.getByRole("button", { name: "Use a passkey instead" }).click();
  await page.getByText("You are logged in.").waitFor();
  assert.equal((await page.goto(server.base + "/admin")).status(), 200);
  assertOnlyOwnRequests(page, server);
  await page.context().close();
});

/// What an authenticator app shows now for a base32 key (RFC 6238:
/// HMAC-SHA1, 30-second steps, six digits).
function totp(base32) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac("sha1", bytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, "0");
}
