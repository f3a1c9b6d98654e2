// Issue 5's browser check: a member writes words of imminent risk in a
// group's forum and in its chat, and sees crisis lines at once (nothing is
// held back); a moderator who is online gets the live alert, acknowledges
// and resolves it; the audit log shows each step. axe-core on each page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertOnlyOwnRequests, checkA11y, launch, newPage, startServer, uniqueHandle } from "./harness.js";

const PASSWORD = "lantern orchard mosaic tide";
const ADMIN_PASSWORD = "quartz meadow lantern fig";
const IMMINENT = "I have the pills saved and I'm taking all of them tonight. Goodbye everyone.";
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.makeAdmin("safety_admin", ADMIN_PASSWORD);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function staff() {
  const page = await newPage(browser, server);
  await page.goto(server.base + "/login");
  await page.getByLabel("Handle").fill("safety_admin");
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByText("You are logged in.").waitFor();
  return page;
}

async function member() {
  const page = await newPage(browser, server);
  const handle = uniqueHandle("river");
  await page.goto(server.base + "/register");
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Type the password again").fill(PASSWORD);
  await page.getByLabel("18 or older").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Welcome to Hearth").waitFor();
  await page.goto(server.base + "/groups/harbour");
  await page.getByRole("button", { name: "Join this group" }).click();
  await page.getByText("Welcome to the group.").waitFor();
  page.handle = handle;
  return page;
}

test("crisis lines for the writer, a live alert for the moderator, and an audit trail", async () => {
  const moderator = await staff();
  assertOnlyOwnRequests(moderator, server);
  await moderator.goto(server.base + "/groups/new");
  await moderator.getByLabel("Name").fill("Harbour");
  await moderator.getByLabel("What the group is for").fill("A calm place to talk through hard nights together.");
  await moderator.getByLabel("Anxiety").check();
  await moderator.getByRole("button", { name: "Create group" }).click();
  await moderator.getByText("Your group is live.").waitFor();
  // The moderator stays on a page; alerts reach it live.
  await moderator.goto(server.base + "/groups");
  const badge = moderator.locator("[data-alert-badge]");
  assert.equal((await badge.textContent()).trim(), "Crisis alerts (0 open)");

  // The member posts in the forum, by keyboard.
  const m = await member();
  assertOnlyOwnRequests(m, server);
  await m.goto(server.base + "/groups/harbour/threads/new");
  await m.getByLabel("Title").fill("I can't anymore");
  await m.getByLabel("What would you like to say?").fill(IMMINENT);
  // While they write, the composer gently offers someone to talk to now.
  const gentle = m.locator("[data-gentle-help]").getByRole("link", { name: "Talk to someone now" });
  await gentle.waitFor();
  assert.equal(await gentle.getAttribute("href"), "/help");
  await checkA11y(m, "composer offering help");
  await m.getByRole("button", { name: "Post thread" }).focus();
  await m.keyboard.press("Enter");
  // At once: crisis lines, focused so they are read first; the post is up.
  const panel = m.locator("#crisis-panel");
  await panel.waitFor();
  assert.equal(await m.evaluate(() => document.activeElement?.id), "crisis-panel");
  await m.getByRole("heading", { name: "You don't have to go through this alone" }).waitFor();
  assert.ok(await panel.getByRole("link", { name: /Call 988/ }).count() > 0, "the 988 line is offered");
  assert.equal(await panel.getByRole("link", { name: /More ways to get help/ }).getAttribute("href"), "/help");
  await m.getByText("taking all of them tonight").first().waitFor();
  await checkA11y(m, "thread with the crisis panel");

  // The moderator, online, hears of it without reloading.
  const toast = moderator.locator("[data-alert-toast]");
  await toast.getByText("New crisis alert: imminent risk").waitFor({ timeout: 10000 });
  assert.equal((await badge.textContent()).trim(), "Crisis alerts (1 open)");
  await checkA11y(moderator, "page with a live alert notice");
  await toast.getByRole("link").click();
  await moderator.getByRole("heading", { name: new RegExp(`Imminent\\s+${m.handle}`) }).waitFor();
  await moderator.getByText("Why this alert").click();
  await moderator.getByText(/“tonight”/).waitFor();
  await checkA11y(moderator, "alert queue");
  await moderator.getByRole("button", { name: `Acknowledge (${m.handle})` }).click();
  await moderator.getByText("Acknowledged. The team can see you are on it.").waitFor();
  await moderator.getByText("Acknowledged by safety_admin").waitFor();
  await moderator.getByLabel("What was done (for the team)").fill("Messaged them; they called the lifeline and are with a friend.");
  await moderator.getByRole("button", { name: `Resolve (${m.handle})` }).click();
  await moderator.getByText("Resolved.").first().waitFor();
  await moderator.getByText("No alerts here.").waitFor();

  // In chat, the crisis lines arrive privately, beside the composer, and
  // the message is sent.
  await m.goto(server.base + "/groups/harbour/chat");
  await m.getByText("Connected: new messages appear here").waitFor();
  await m.getByLabel("Your message").focus();
  await m.keyboard.type(IMMINENT);
  await m.keyboard.press("Enter");
  await m.locator("#crisis-live").getByRole("heading", { name: "You don't have to go through this alone" }).waitFor();
  // The lines take focus, right above the composer; what was typed stays.
  assert.equal(await m.evaluate(() => document.activeElement?.id), "crisis-panel", "focus on the lines");
  await m.locator("#chat-log li:not(.pending) p.body", { hasText: "taking all of them tonight" }).waitFor();
  await checkA11y(m, "chat room with crisis lines");
  await toast.getByText("New crisis alert: imminent risk").waitFor({ timeout: 10000 });

  // The audit log shows each step, and is intact.
  await moderator.goto(server.base + "/admin/audit");
  await moderator.getByText(/The log is intact: \d+ rows/).waitFor();
  await moderator.getByRole("cell", { name: "alert.acknowledge" }).waitFor();
  await moderator.getByRole("cell", { name: "alert.resolve" }).waitFor();
  await checkA11y(moderator, "audit log");
});

test("a report, a hidden post, an appeal decided by another moderator, and the audit trail", async () => {
  const admin = await staff();
  const writer = await member();
  const reporter = await member();
  await writer.goto(server.base + "/groups/harbour/threads/new");
  await writer.getByLabel("Title").fill("Opinions");
  await writer.getByLabel("What would you like to say?").fill("Everyone in this group is pathetic.");
  await writer.getByRole("button", { name: "Post thread" }).click();
  await writer.getByText("Everyone in this group is pathetic.").waitFor();
  const threadUrl = writer.url().split("?")[0];

  // The reporter reports it, by keyboard.
  await reporter.goto(threadUrl);
  await reporter.getByRole("link", { name: `Report ${writer.handle}` }).click();
  await reporter.getByRole("heading", { name: "Report to the moderators" }).waitFor();
  await checkA11y(reporter, "report form");
  await reporter.getByLabel("Harassment or bullying").check();
  await reporter.getByLabel("Anything the moderators should know (optional)").fill("It's aimed at all of us.");
  await reporter.getByRole("button", { name: "Send the report" }).press("Enter");
  await reporter.getByText("Thank you. The moderators have your report.").waitFor();

  // The moderator hides the post from the case.
  await admin.goto(server.base + "/moderation/reports");
  await checkA11y(admin, "report list");
  await admin.getByRole("link", { name: new RegExp(writer.handle) }).click();
  await admin.getByText("It's aimed at all of us.").waitFor();
  await checkA11y(admin, "case page");
  await admin.getByLabel("Hide the post").check();
  await admin.getByLabel("Reason (the member will see it)").fill("Insults are not allowed here.");
  await admin.getByRole("button", { name: "Take the action" }).click();
  await admin.getByText("Done. The member has been told, with the reason.").waitFor();

  // Other members see that it was hidden; the words are gone for them.
  await reporter.goto(threadUrl);
  await reporter.getByText("This post was hidden by a moderator.").waitFor();
  assert.equal(await reporter.getByText("Everyone in this group is pathetic.").count(), 0);

  // The writer sees the notice with its reason, and appeals.
  await writer.goto(server.base + "/groups");
  await writer.getByRole("link", { name: "Notices from moderators (1 new)" }).click();
  await writer.getByText("Insults are not allowed here.").waitFor();
  await checkA11y(writer, "notices page");
  await writer.getByLabel("Why should this be looked at again?").fill("I was venting about myself, badly worded.");
  await writer.getByRole("button", { name: "Appeal" }).click();
  await writer.getByText("Your appeal is sent.").waitFor();

  // The moderator who hid it cannot decide; another one restores it.
  await admin.goto(server.base + "/moderation/appeals");
  await admin.getByText("You took this action: another moderator decides.").waitFor();
  // A second admin, made by the operator, decides.
  server.makeAdmin("second_admin", ADMIN_PASSWORD);
  const second = await newPage(browser, server);
  await second.goto(server.base + "/login");
  await second.getByLabel("Handle").fill("second_admin");
  await second.getByLabel("Password").fill(ADMIN_PASSWORD);
  await second.getByRole("button", { name: "Log in", exact: true }).click();
  await second.getByText("You are logged in.").waitFor();
  await second.goto(server.base + "/moderation/appeals");
  await checkA11y(second, "appeals page");
  await second.getByLabel("Undo the action").check();
  await second.getByLabel("Reason (the member will see it)").fill("Read in context, it was about themself.");
  await second.getByRole("button", { name: new RegExp(`Decide`) }).click();
  await second.getByText("Decided. The member can see the decision.").waitFor();
  await writer.goto(threadUrl);
  await writer.getByText("Everyone in this group is pathetic.").waitFor();
  await writer.goto(server.base + "/account/notices");
  await writer.getByText("Appeal decided: the action was undone").waitFor();

  // The writer heard of each decision; the case closes with a message the
  // reporter receives.
  await writer.goto(server.base + "/notifications");
  await writer.getByText("Something you wrote in Harbour was hidden by a moderator.").waitFor();
  await writer.getByText("Your appeal was decided: the action was undone.").waitFor();
  await checkA11y(writer, "notifications of an action and its appeal");
  await admin.goto(server.base + "/moderation/reports");
  await admin.getByRole("link", { name: new RegExp(writer.handle) }).click();
  await admin.getByLabel("Message to the person who reported it").fill("Thank you. We looked at it in context and spoke with them.");
  await admin.getByRole("button", { name: "Resolve the case" }).click();
  await admin.getByText("Resolved, and the reporter has been told.").waitFor();
  await reporter.goto(server.base + "/notifications");
  await reporter.getByText("A moderator has looked at your report in Harbour and closed it.").waitFor();
  await reporter.getByText("We looked at it in context and spoke with them.").waitFor();
  await checkA11y(reporter, "notifications with a report's outcome");

  // The audit log shows each step.
  await admin.goto(server.base + "/admin/audit");
  for (const action of ["member.hide", "appeal.file", "appeal.overturn", "member.unhide"]) {
    await admin.getByRole("cell", { name: action, exact: true }).waitFor();
  }
  await admin.getByText(/The log is intact/).waitFor();
});

test("a reported chat message is hidden live for the room, kept for its author, and back live when undone", async () => {
  const admin = await staff();
  const writer = await member();
  const reader = await member();
  for (const page of [writer, reader]) {
    await page.goto(server.base + "/groups/harbour/chat");
    await page.getByText("Connected: new messages appear here").waitFor();
  }
  const words = "Nobody here is worth talking to, honestly.";
  await writer.getByLabel("Your message").fill(words);
  await writer.getByLabel("Your message").press("Enter");
  const line = reader.locator("#chat-log li", { hasText: words });
  await line.waitFor();

  // The reader reports it from the message itself, through its menu.
  await line.getByText("Actions").click();
  await line.getByRole("link", { name: /Report/ }).click();
  await reader.getByRole("heading", { name: "Report to the moderators" }).waitFor();
  await reader.getByLabel("Harassment or bullying").check();
  await reader.getByRole("button", { name: "Send the report" }).click();
  await reader.getByText("Thank you. The moderators have your report.").waitFor();
  await reader.goto(server.base + "/groups/harbour/chat");
  await reader.getByText("Connected: new messages appear here").waitFor();

  // The moderator hides it from the case; the room is told at once.
  await admin.goto(server.base + "/moderation/reports");
  await admin.getByRole("link", { name: new RegExp(writer.handle) }).first().click();
  await admin.getByText(words).waitFor();
  await admin.getByLabel("Hide the message").check();
  await admin.getByLabel("Reason (the member will see it)").fill("Please keep it kind to the group.");
  await admin.getByRole("button", { name: "Take the action" }).click();
  await admin.getByText("Done. The member has been told, with the reason.").waitFor();
  await reader.locator("#chat-log li p.deleted", { hasText: "This message was hidden by a moderator." }).waitFor();
  assert.equal(await reader.getByText(words).count(), 0);
  await checkA11y(reader, "chat room with a hidden message");
  // Its author keeps their words on screen, with a note.
  await writer.getByText("Hidden by a moderator: only its author and those who moderate see it.").waitFor();
  await writer.getByText(words).waitFor();
  await writer.goto(server.base + "/account/notices");
  await writer.getByText("Hide the message").waitFor();
  await writer.getByText(words).waitFor();
  await checkA11y(writer, "notices with hidden words");

  // Undone from the case: the words are back for the reader, live.
  const undo = admin.locator('form[action*="/revoke"]');
  await admin.locator("details.confirm summary", { hasText: "Undo" }).click();
  await undo.getByLabel("Reason (the member will see it)").fill("Read again: venting, not aimed at anyone.");
  await undo.getByRole("button", { name: "Undo" }).click();
  await admin.getByText("Undone.").waitFor();
  await reader.locator("#chat-log li p.body", { hasText: words }).waitFor();
  assert.equal(await reader.getByText("This message was hidden by a moderator.").count(), 0);
});

test("word filters: a blocked word keeps the text, a held post is approved by keyboard, and a thread is muted", async () => {
  const admin = await staff();
  await admin.goto(server.base + "/admin/filters");
  await checkA11y(admin, "word filters");
  await admin.getByLabel("Word or phrase").fill("scamcoin");
  await admin.getByLabel("Block").check();
  await admin.getByRole("button", { name: "Save filter" }).click();
  await admin.getByText("Filter saved.").waitFor();
  await admin.getByLabel("Word or phrase").fill("meetup*");
  await admin.getByLabel("Hold for review").check();
  await admin.getByRole("button", { name: "Save filter" }).press("Enter");
  await admin.getByText("Filter saved.").waitFor();
  await admin.getByRole("cell", { name: "meetup*", exact: true }).waitFor();

  // A blocked word: nothing is posted, the text stays, the reason is clear.
  const writer = await member();
  await writer.goto(server.base + "/groups/harbour/threads/new");
  await writer.getByLabel("Title").fill("Deals");
  await writer.getByLabel("What would you like to say?").fill("Buy SCAMC0IN today");
  await writer.getByRole("button", { name: "Post thread" }).click();
  await writer.getByText(/does not allow/).first().waitFor();
  assert.equal(await writer.getByLabel("What would you like to say?").inputValue(), "Buy SCAMC0IN today");
  await checkA11y(writer, "a blocked post");

  // A held word: the writer is told, others do not see it yet.
  await writer.getByLabel("What would you like to say?").fill("Any meetups this week?");
  await writer.getByRole("button", { name: "Post thread" }).click();
  await writer.getByText(/Your post is waiting for a facilitator/).waitFor();
  await writer.getByText(/Waiting for review/).first().waitFor();
  const threadUrl = writer.url().split("?")[0];
  const reader = await member();
  await reader.goto(server.base + "/groups/harbour");
  assert.equal(await reader.getByRole("link", { name: "Deals" }).count(), 0);

  // A moderator approves it from the queue, by keyboard.
  await admin.goto(server.base + "/moderation/held");
  await admin.getByText("Held by a word filter: meetup*").waitFor();
  await checkA11y(admin, "held posts");
  await admin.getByRole("button", { name: new RegExp(`Approve \\(${writer.handle}\\)`) }).press("Enter");
  await admin.getByText("Approved. The post is now up for the whole group.").waitFor();
  await reader.goto(server.base + "/groups/harbour");
  await reader.getByRole("link", { name: "Deals" }).click();
  await reader.getByText("Any meetups this week?").waitFor();

  // The reader mutes the thread: it folds away in their list.
  await reader.getByRole("button", { name: "Mute" }).press("Enter");
  await reader.getByText(/Thread muted/).waitFor();
  assert.equal(await reader.getByRole("button", { name: "Muted" }).getAttribute("aria-pressed"), "true");
  await checkA11y(reader, "a muted thread");
  await reader.goto(server.base + "/groups/harbour");
  await reader.getByText("One thread you muted").waitFor();
  assert.ok(threadUrl.includes("/threads/"));
});
