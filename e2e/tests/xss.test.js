// T13 (RELIABILITY.md): stored XSS, end to end. About two hundred payloads
// go in through the API, into every field a member or facilitator controls
// that a page shows; Chromium then opens each of those pages. Every payload
// calls window.__pwned() if it ever runs: the test wants 0 calls, 0 CSP
// violations, and the CSP header on every HTML page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, startServer } from "./harness.js";

const ADMIN_PASSWORD = "quartz meadow lantern fig";
let server;
let browser;

const BASE_VECTORS = [
  "<script>__pwned()</script>",
  "<img src=x onerror=__pwned()>",
  "<svg><script>__pwned()</script></svg>",
  "<svg onload=__pwned()>",
  "<body onload=__pwned()>",
  "<iframe src=\"javascript:__pwned()\"></iframe>",
  "<a href=\"javascript:__pwned()\">x</a>",
  "<details open ontoggle=__pwned()>",
  "<input autofocus onfocus=__pwned()>",
  "<video><source onerror=__pwned()></video>",
  "<math><mtext><img src=x onerror=__pwned()></mtext></math>",
  "\"><script>__pwned()</script>",
  "'><img src=x onerror=__pwned()>",
  "</textarea><script>__pwned()</script>",
  "</title><script>__pwned()</script>",
  "[x](javascript:__pwned())",
  "[x](JaVaScRiPt:__pwned())",
  "[x](javascript&#58;__pwned())",
  "[x](&#106;avascript:__pwned())",
  "[x](java\u200bscript:__pwned())",
  "[x](  javascript:__pwned()  )",
  "[x](vbscript:__pwned())",
  "[x](data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCk8L3NjcmlwdD4=)",
  "![x](x\"onerror=\"__pwned())",
  "![x](javascript:__pwned())",
  "![x\" onerror=\"__pwned()](https://example.org/x.png)",
  "[x](https://example.org\" onclick=\"__pwned())",
  "<javascript:__pwned()>",
  "<https://example.org/\"onmouseover=\"__pwned()>",
  "[x][ref]\n\n[ref]: javascript:__pwned()",
  "[x][r]\n\n[r]: https://example.org \"title\\\" onclick=__pwned() x\"",
  "<scr<script>ipt>__pwned()</script>",
  "<SCRIPT SRC=//example.org/x.js></SCRIPT>",
  "<style>@import 'javascript:__pwned()';</style>",
  "<object data=\"javascript:__pwned()\"></object>",
  "<embed src=\"javascript:__pwned()\">",
  "<form action=\"javascript:__pwned()\"><button>x</button></form>",
  "<meta http-equiv=\"refresh\" content=\"0;url=javascript:__pwned()\">",
  "<base href=\"javascript:__pwned()//\">",
  "`<img src=x onerror=__pwned()>`",
  "```html\n<script>__pwned()</script>\n```",
  "&lt;script&gt;__pwned()&lt;/script&gt;",
  "&#60;img src=x onerror=__pwned()&#62;",
  "<img src=x oNeRrOr=__pwned()>",
  "<img src=x onerror\t=__pwned()>",
  "<a href=\"jav&#x09;ascript:__pwned()\">x</a>",
  "<a href=\"&#x6A;avascript:__pwned()\">x</a>",
  "{{constructor.constructor('__pwned()')()}}",
  "${__pwned()}",
  "<noscript><p title=\"</noscript><img src=x onerror=__pwned()>\">",
];

// Each vector as written, inside Markdown emphasis, and in a quote.
function corpus() {
  const out = [];
  for (const v of BASE_VECTORS) {
    out.push(v, `*${v}*`, `> ${v}`, `- ${v}`);
  }
  return out;
}

async function api(path, token, method = "GET", body) {
  const r = await fetch(server.base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function login(handle, password) {
  const r = await fetch(server.base + "/api/v1/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ handle, password }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).token;
}

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("no stored payload ever runs, on any page that shows it", async () => {
  const payloads = corpus();
  assert.ok(payloads.length >= 200, `${payloads.length} payloads`);
  server.makeAdmin("xss_admin", ADMIN_PASSWORD);
  const admin = await login("xss_admin", ADMIN_PASSWORD);
  const r = await fetch(server.base + "/api/v1/accounts", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ handle: "xss_member", password: ADMIN_PASSWORD, age_bracket: "18+" }),
  });
  assert.equal(r.status, 201);
  const member = await login("xss_member", ADMIN_PASSWORD);

  // Group fields: name (80 chars), purpose, guidelines, intake questions.
  const group = await api("/api/v1/groups", admin, "POST", {
    name: "<img src=x onerror=__pwned()> Circle",
    slug: "xss-circle",
    purpose: BASE_VECTORS.slice(0, 25).join(" "),
    guidelines: BASE_VECTORS.join("\n"),
    language: "en",
    leadership: "peer",
    age_space: "adult",
    visibility: "listed",
    joining: "closed",
    intake_questions: ["<script>__pwned()</script> why?", "\"><img src=x onerror=__pwned()>"],
  });
  assert.equal(group.status, 201, JSON.stringify(group.json));
  assert.equal((await api("/api/v1/groups/xss-circle/requests", member, "POST", { answers: BASE_VECTORS.slice(0, 2) })).status, 202);
  const requests = await api("/api/v1/groups/xss-circle/requests", admin);
  // Decline with a payload message, so the member's group page shows it.
  await api(`/api/v1/groups/xss-circle/requests/${requests.json[0].id}`, admin, "POST", {
    approve: false,
    message: "<img src=x onerror=__pwned()>",
  });

  // Threads: titles, bodies and warnings; replies carry the whole corpus.
  const threadIds = [];
  // Names and titles refuse invisible formatting (direction overrides,
  // zero-width spaces) with a 422 and store nothing; the body keeps them.
  const oneLine = (s) => s.replace(/\n/g, " ").replace(/[\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, "");
  for (const [i, v] of BASE_VECTORS.slice(0, 25).entries()) {
    const t = await api("/api/v1/groups/xss-circle/threads", admin, "POST", {
      title: oneLine(v.slice(0, 150)) || `t${i}`,
      body: v,
      content_warning: i % 2 ? oneLine(v.slice(0, 100)) : "",
    });
    assert.equal(t.status, 201, `${v}: ${JSON.stringify(t.json)}`);
    threadIds.push(t.json.id);
  }
  const main = threadIds[0];
  for (const p of payloads) {
    const reply = await api(`/api/v1/groups/xss-circle/threads/${main}/posts`, admin, "POST", { body: `${p} @xss_admin` });
    assert.equal(reply.status, 201, p);
  }
  // An edit, so the history page has earlier versions to show.
  const first = (await api(`/api/v1/groups/xss-circle/threads/${main}`, admin)).json.posts[1].id;
  await api(`/api/v1/groups/xss-circle/posts/${first}`, admin, "PATCH", { body: "<svg onload=__pwned()> edited" });
  // Filters show their own words back.
  await api("/api/v1/me/filters", admin, "PUT", { words: ["<script>__pwned()</script>", "\"><img src=x onerror=__pwned()>"], collapse_warnings: false });

  const pages = [
    "/groups",
    "/groups?q=%3Cscript%3E",
    "/groups/xss-circle",
    "/groups/xss-circle/requests",
    "/groups/xss-circle/members",
    `/groups/xss-circle/threads/${main}`,
    `/groups/xss-circle/threads/${main}?after=${first + 100}`,
    `/groups/xss-circle/threads/${main}?quote=${first}`,
    `/groups/xss-circle/posts/${first}/history`,
    `/groups/xss-circle/posts/${first}/edit`,
    "/groups/xss-circle/threads/new",
    "/notifications",
    "/account/filters",
    "/welcome",
    "/admin/groups",
    ...threadIds.slice(1, 8).map((id) => `/groups/xss-circle/threads/${id}`),
  ];

  const page = await newPage(browser, server);
  let pwned = 0;
  await page.exposeFunction("__pwned", () => {
    pwned += 1;
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(server.base + "/login");
  await page.getByLabel("Handle").fill("xss_admin");
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.getByText("You are logged in.").waitFor();
  const violations = [];
  for (const path of pages) {
    const response = await page.goto(server.base + path);
    assert.equal(response.status(), 200, path);
    const csp = response.headers()["content-security-policy"] || "";
    // T13's policy, or a stricter one (default-src 'none' also covers objects).
    for (const directive of ["script-src 'self'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
      assert.ok(csp.includes(directive), `${path}: CSP lacks ${directive}: ${csp}`);
    }
    assert.ok(csp.includes("default-src 'none'") || (csp.includes("default-src 'self'") && csp.includes("object-src 'none'")), `${path}: ${csp}`);
    // Open every folded post, hover and focus everything, as a reader might.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = true;
      for (const el of document.querySelectorAll("a, button, input, textarea")) {
        el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
        el.focus();
      }
    });
    await page.waitForTimeout(50);
    violations.push(...(await page.evaluate(() => window.__violations)).map((v) => `${path}: ${v}`));
  }
  // The member, declined with a payload message, sees it on the group page.
  const memberPage = await newPage(browser, server);
  await memberPage.exposeFunction("__pwned", () => {
    pwned += 1;
  });
  await memberPage.goto(server.base + "/login");
  await memberPage.getByLabel("Handle").fill("xss_member");
  await memberPage.getByLabel("Password").fill(ADMIN_PASSWORD);
  await memberPage.getByRole("button", { name: "Log in", exact: true }).click();
  await memberPage.getByText("You are logged in.").waitFor();
  for (const path of ["/groups/xss-circle", "/notifications"]) {
    await memberPage.goto(server.base + path);
  }
  const shown = await memberPage.content();
  assert.ok(shown.includes("&lt;img src=x onerror=__pwned()&gt;"), "the decline message is shown, as text");

  assert.equal(pwned, 0, "a payload ran");
  assert.deepEqual(violations, [], "CSP violations");
  assert.deepEqual(page.problems, [], "console CSP reports or script errors");
  await page.context().close();
  await memberPage.context().close();
});
