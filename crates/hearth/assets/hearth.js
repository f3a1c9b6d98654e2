// Hearth's small enhancements. Every page works without this file.
(function () {
  "use strict";

  // Quick exit: leave at once for a neutral page, replacing this history
  // entry so Back does not return here. Also on Escape pressed twice.
  var exitUrl = document.body.getAttribute("data-quick-exit-url");
  function quickExit(event) {
    if (event) event.preventDefault();
    clearDrafts();
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(exitUrl);
  }
  var links = document.querySelectorAll("[data-quick-exit]");
  for (var i = 0; i < links.length; i++) links[i].addEventListener("click", quickExit);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 800) quickExit(event);
    lastEscape = now;
  });

  // Unsent words stay on this device: each composer ([data-keep-draft])
  // keeps what is typed in this browser's storage, brings it back when its
  // page opens again with the box empty, and says so. Sending clears it;
  // so do logging out and the quick exit, as the words are private.
  var DRAFT = "hearth-draft:";
  function store() {
    try { return window.localStorage; } catch (_) { return null; }
  }
  function clearDrafts() {
    var s = store();
    if (!s) return;
    for (var k = s.length - 1; k >= 0; k--) {
      var key = s.key(k);
      if (key && key.indexOf(DRAFT) === 0) s.removeItem(key);
    }
  }
  var logouts = document.querySelectorAll("form[action='/logout']");
  for (var l = 0; l < logouts.length; l++) logouts[l].addEventListener("submit", clearDrafts);
  var keepers = document.querySelectorAll("[data-keep-draft]");
  for (var kd = 0; kd < keepers.length; kd++) (function (area) {
    var s = store();
    var form = area.form;
    if (!s || !form) return;
    var status = form.querySelector("[data-draft-status]");
    var key = DRAFT + window.location.pathname + "|" + form.getAttribute("action") + "|" + area.name;
    var say = function (attr) { if (status) status.textContent = status.getAttribute(attr) || ""; };
    var saved = s.getItem(key);
    if (saved && !area.value) {
      area.value = saved;
      say("data-restored");
    }
    var timer = 0;
    var told = !!saved;
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        try {
          if (area.value.trim()) {
            s.setItem(key, area.value);
            if (!told) { told = true; say("data-saved"); }
          } else {
            s.removeItem(key);
          }
        } catch (_) { /* storage full or refused: the words stay in the box */ }
      }, 400);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      s.removeItem(key);
      told = false;
      if (status) status.textContent = "";
    });
  })(keepers[kd]);

  // The header's menu on a phone (CSS shows the button only there).
  var menuButton = document.querySelector("[data-menu-button]");
  var siteNav = document.getElementById("site-nav");
  if (menuButton && siteNav) {
    document.documentElement.classList.add("js-menu");
    menuButton.hidden = false;
    menuButton.addEventListener("click", function () {
      var open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", String(open));
      siteNav.classList.toggle("open", open);
    });
  }

  // Move focus to an error summary so screen readers hear it first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();

  // Crisis lines shown after posting (next to the composer): focus them,
  // so they are read first.
  var panel = document.querySelector("[data-crisis-panel]");
  if (panel && !summary) {
    // Its heading first, at every width (a tall panel on a phone included).
    panel.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "start" });
  }

  // They stay until the writer hides them. The button needs this script,
  // so it shows only with it; chat.js shows the one in a panel it adds.
  // Hiding puts focus back in the composer, with whatever is typed there.
  var dismissRows = document.querySelectorAll("[data-crisis-dismiss-row]");
  for (var r = 0; r < dismissRows.length; r++) dismissRows[r].hidden = false;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-crisis-dismiss]") : null;
    var shown = button && button.closest("[data-crisis-panel]");
    if (!shown) return;
    shown.remove();
    var composer = document.getElementById("body") || document.getElementById("main");
    if (composer) composer.focus();
  });

  // While someone writes words that suggest they may be in danger, the
  // composer offers the crisis lines, gently and once, in a polite status
  // region. Nothing is blocked or held; the draft is checked (after a
  // pause in typing) and forgotten, never stored.
  var drafts = document.querySelectorAll("[data-gentle-check]");
  for (var d = 0; d < drafts.length; d++) (function (area) {
    var form = area.form;
    var region = form && form.querySelector("[data-gentle-help]");
    var csrf = form && form.querySelector("input[name=csrf]");
    if (!region || !csrf || !window.fetch) return;
    var timer = 0;
    var offered = false;
    var lastChecked = "";
    area.addEventListener("input", function () {
      if (offered) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = area.value;
        if (text.trim().length < 12 || text === lastChecked) return;
        lastChecked = text;
        fetch("/api/v1/crisis/check", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json", "x-csrf-token": csrf.value },
          body: JSON.stringify({ text: text.slice(0, 20000) })
        }).then(function (r) { return r.ok ? r.json() : null; }).then(function (v) {
          if (!v || !v.offer || offered) return;
          offered = true;
          var p = document.createElement("p");
          p.textContent = region.getAttribute("data-text") + " ";
          var a = document.createElement("a");
          a.href = region.getAttribute("data-href");
          a.textContent = region.getAttribute("data-link");
          p.appendChild(a);
          region.appendChild(p);
          region.classList.add("gentle-help-shown");
        }).catch(function () {});
      }, 1500);
    });
  })(drafts[d]);

  // Moderators and admins: crisis alerts and reports arrive live over
  // /live; facilitators: their groups' reports. The header's count updates
  // and a notice says so (a polite live region).
  var badge = document.querySelector("[data-alert-badge]");
  var reports = document.querySelector("[data-report-badge]");
  var toast = document.querySelector("[data-alert-toast]");
  var show = function (href, text) {
    toast.textContent = "";
    var link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    toast.appendChild(link);
    toast.hidden = false;
  };
  if ((badge || reports) && toast && window.WebSocket) {
    var badgeText = badge ? badge.textContent : "";
    var delay = 1000;
    var connect = function () {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var ws = new WebSocket(scheme + window.location.host + "/live");
      ws.onopen = function () { delay = 1000; };
      ws.onmessage = function (event) {
        var f;
        try { f = JSON.parse(event.data); } catch (_) { return; }
        if (f.type === "report") {
          if (reports) {
            // Staff get the count; a facilitator's frame adds one.
            reports.textContent = reports.textContent.replace(/\d+/, function (n) {
              return String(typeof f.open === "number" ? f.open : Number(n) + 1);
            });
          }
          if (f.id) show(f.url, toast.getAttribute("data-t-report") + (reports ? " — " + reports.textContent : ""));
          return;
        }
        if (f.type !== "alert" || !badge) return;
        badge.textContent = badgeText.replace(/\d+/, String(f.open));
        badgeText = badge.textContent;
        show(f.url, (toast.getAttribute("data-t-" + f.level) || f.level) + " — " + badge.textContent);
      };
      ws.onclose = function () {
        window.setTimeout(connect, delay + Math.random() * delay);
        delay = Math.min(delay * 2, 30000);
      };
    };
    connect();
  }

  // Passkeys: each form carries the server's options; the browser makes
  // or finds the passkey, and its answer goes back in the form. Shown only
  // where the browser can do this.
  var PKC = window.PublicKeyCredential;
  if (PKC && PKC.parseCreationOptionsFromJSON && PKC.parseRequestOptionsFromJSON) {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-passkey]"), function (form) {
      form.hidden = false;
      var status = form.querySelector("[data-passkey-status]");
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-answered")) return;
        event.preventDefault();
        var options;
        try { options = JSON.parse(form.getAttribute("data-options")).publicKey; } catch (_) { return; }
        var asked = form.getAttribute("data-passkey") === "create"
          ? navigator.credentials.create({ publicKey: PKC.parseCreationOptionsFromJSON(options) })
          : navigator.credentials.get({ publicKey: PKC.parseRequestOptionsFromJSON(options) });
        status.textContent = "";
        asked.then(function (credential) {
          form.querySelector("input[name=credential]").value = JSON.stringify(credential.toJSON());
          form.setAttribute("data-answered", "1");
          form.submit();
        }, function () {
          status.textContent = form.getAttribute("data-t-failed");
        });
      });
    });
  }

  // A break reminder the member asked for: after their chosen minutes of
  // continuous use (no pause over ten minutes, on any of this site's
  // pages in this tab), a gentle suggestion, easy to dismiss; dismissing
  // starts a new stretch. Kept in this tab's session storage only.
  var breakMinutes = Number(document.body.getAttribute("data-break-minutes") || 0);
  var breakBox = document.getElementById("break-reminder");
  if (breakMinutes > 0 && breakBox && window.sessionStorage) {
    var START = "hearth-use-start", LAST = "hearth-use-last";
    var PAUSE = 10 * 60 * 1000;
    // Use is activity: a tab left open without it is a pause.
    var active = function () {
      var now = Date.now();
      var last = Number(sessionStorage.getItem(LAST) || 0);
      if (!last || now - last > PAUSE) sessionStorage.setItem(START, String(now));
      sessionStorage.setItem(LAST, String(now));
    };
    var check = function () {
      var now = Date.now();
      var last = Number(sessionStorage.getItem(LAST) || 0);
      var start = Number(sessionStorage.getItem(START) || now);
      // Shown on every page until dismissed, while use goes on.
      if (now - last <= PAUSE && now - start >= breakMinutes * 60 * 1000) breakBox.hidden = false;
    };
    active();
    ["pointerdown", "keydown", "scroll", "visibilitychange"].forEach(function (type) {
      document.addEventListener(type, function () {
        if (!document.hidden) active();
      }, { passive: true });
    });
    var dismiss = breakBox.querySelector("[data-break-dismiss]");
    if (dismiss) {
      dismiss.addEventListener("click", function () {
        breakBox.hidden = true;
        sessionStorage.setItem(START, String(Date.now()));
      });
    }
    check();
    setInterval(check, 30 * 1000);
  }
})();
