// Live chat on a room page. The page works without this file: its form
// posts and the server redirects back. With it, messages come and go over
// one WebSocket (/live, see docs/protocol.md):
// - every message typed gets a client id and shows "Sending…" until the
//   server acknowledges it; one never acknowledged shows "Not sent" with a
//   Retry button, and nothing is silently lost;
// - after a dropped connection it reconnects, resumes from the last number
//   it saw (so every message arrives once, in order), and sends again, under
//   the same ids, whatever was not acknowledged;
// - new messages from others are announced politely to screen readers and
//   focus stays in the composer (crisis lines for the writer are the one
//   exception: they take focus, right above the composer).
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.WebSocket || root.getAttribute("data-live") !== "true") return;

  var room = Number(root.getAttribute("data-room"));
  var lastSeq = Number(root.getAttribute("data-last-seq"));
  var me = root.getAttribute("data-me");
  var blocked = [];
  try { blocked = JSON.parse(root.getAttribute("data-blocked") || "[]"); } catch (_) {}
  // A room the member muted is quiet: nothing read out, no typing shown.
  var muted = root.getAttribute("data-muted") === "true";
  var moderates = root.getAttribute("data-moderates") === "true";
  var base = root.getAttribute("data-base");
  var reportBase = root.getAttribute("data-report");
  var langQuery = root.getAttribute("data-lang-query") || "";
  var csrf = root.getAttribute("data-csrf");
  var log = document.getElementById("chat-log");
  var empty = document.getElementById("chat-empty");
  var form = document.getElementById("chat-form");
  var textarea = document.getElementById("body");
  var presenceEl = document.getElementById("chat-presence");
  var typingEl = document.getElementById("chat-typing");
  var connectionEl = document.getElementById("chat-connection");
  var announceEl = document.getElementById("chat-announce");
  var lockedEl = document.getElementById("chat-locked");
  var slowEl = document.getElementById("chat-slow");
  var notSentTemplate = document.getElementById("chat-pending-actions");

  var ws = null;
  var backoff = 500;
  var pending = {}; // client id → { body, li, timer }
  var order = []; // client ids, in the order they were typed
  var typingTimer = null;
  var lastTyping = 0;
  var ACK_WAIT = 10000;

  function t(name, args) {
    var text = root.getAttribute("data-t-" + name) || "";
    return text.replace(/\{\s*\$(\w+)\s*\}/g, function (_, key) {
      return args && key in args ? String(args[key]) : "";
    });
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // Times as people say them, in the page's language and the reader's own
  // time zone: "2 minutes ago", later the date; the full date and time on
  // hover.
  var lang = document.documentElement.lang || "en";
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  function full(d) {
    return d.toLocaleString(lang, { dateStyle: "full", timeStyle: "short" });
  }
  function short(d) {
    var secs = Math.round((Date.now() - d.getTime()) / 1000);
    if (relative && secs < 45) return relative.format(0, "second");
    if (relative && secs < 3600) return relative.format(-Math.max(1, Math.round(secs / 60)), "minute");
    if (relative && secs < 6 * 3600) return relative.format(-Math.round(secs / 3600), "hour");
    return d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }
  function showTime(time) {
    var d = new Date(time.getAttribute("datetime"));
    if (isNaN(d.getTime())) return;
    time.textContent = short(d);
    time.title = full(d);
  }
  function showTimes() {
    var times = log.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) showTime(times[i]);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function announce(text) {
    // Replacing the text makes a polite live region speak it once.
    announceEl.textContent = "";
    window.setTimeout(function () { announceEl.textContent = text; }, 50);
  }

  // A message's actions (report, edit, delete) in one menu, as the page
  // has them.
  function actions(seq, mine, author) {
    var menu = el("details", "msg-menu");
    var summary = el("summary", null, t("actions"));
    summary.appendChild(el("span", "visually-hidden", " (" + author + ")"));
    menu.appendChild(summary);
    menu.appendChild(actionList(seq, mine));
    return menu;
  }

  function actionList(seq, mine) {
    var div = el("div", "post-actions");
    if (!mine) {
      var report = el("a", null, t("report"));
      report.href = reportBase + seq + langQuery.replace("?", "&");
      div.appendChild(report);
      if (!moderates) return div;
      div.appendChild(document.createTextNode(" "));
    }
    if (mine) {
      var edit = el("a", null, t("edit"));
      edit.href = base + "/messages/" + seq + "/edit" + langQuery;
      div.appendChild(edit);
      div.appendChild(document.createTextNode(" "));
    }
    var details = el("details", "confirm");
    details.appendChild(el("summary", null, t("delete")));
    var f = el("form", "inline");
    f.method = "post";
    f.action = base + "/messages/" + seq + "/delete" + langQuery;
    [["csrf", csrf], ["client_id", "d" + seq + "-" + newId()]].forEach(function (pair) {
      var input = el("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      f.appendChild(input);
    });
    var button = el("button", "button button-danger button-small", t("delete-confirm"));
    button.type = "submit";
    f.appendChild(button);
    details.appendChild(f);
    div.appendChild(details);
    return div;
  }

  function messageItem(m) {
    var li = el("li");
    li.id = "m" + m.seq;
    li.setAttribute("data-seq", m.seq);
    li.appendChild(el("bdi", "author", m.author || t("former")));
    li.appendChild(document.createTextNode(" "));
    var time = el("time");
    time.setAttribute("datetime", new Date(m.at).toISOString());
    showTime(time);
    li.appendChild(time);
    if (m.edited && !m.deleted) li.appendChild(el("span", "edited", " " + t("edited")));
    if (m.deleted) {
      li.appendChild(el("p", "deleted", t(m.deleted === "moderator" ? "removed" : "deleted")));
    } else if (m.hidden) {
      li.appendChild(el("p", "deleted", t("hidden")));
    } else if (m.author && blocked.indexOf(m.author) >= 0) {
      // Someone this member blocked: collapsed, and not read out.
      var fold = el("details", "fold");
      fold.appendChild(el("summary", null, t("blocked")));
      fold.appendChild(bodyOf(m.body));
      li.appendChild(fold);
    } else {
      li.appendChild(bodyOf(m.body));
      li.appendChild(actions(m.seq, m.author === me, m.author || t("former")));
    }
    return li;
  }

  // A message's words, in their own direction (dir="auto"), so text in
  // another script, or a direction override typed into it, stays inside.
  function bodyOf(text) {
    var p = el("p", "body", text);
    p.dir = "auto";
    return p;
  }

  // The room reads like chat: it opens at the newest message with the
  // composer at the bottom of the screen (CSS keeps it there while the
  // history scrolls above), and a new message keeps a reader who is at the
  // bottom there; one reading further up keeps their place.
  // The composer covers the bottom of the screen: the newest message sits
  // just above it.
  function covered() { return form ? form.offsetHeight : 0; }
  function atBottom() {
    var last = log.lastElementChild;
    return !last || last.getBoundingClientRect().bottom <= window.innerHeight - covered() + 150;
  }
  function toBottom() {
    var last = log.lastElementChild;
    if (!last) return;
    var gap = last.getBoundingClientRect().bottom - (window.innerHeight - covered()) + 12;
    if (gap > 0) window.scrollBy(0, gap);
  }

  function append(li) {
    var stay = atBottom();
    if (empty) empty.hidden = true;
    log.appendChild(li);
    if (stay) toBottom();
  }

  // Stored messages go in sequence order, above any still being sent.
  function place(li) {
    var stay = atBottom();
    if (empty) empty.hidden = true;
    log.insertBefore(li, log.querySelector("li.pending"));
    if (stay) toBottom();
  }

  // --- what arrives --------------------------------------------------------

  function onMessage(m) {
    if (m.seq <= lastSeq) return;
    lastSeq = m.seq;
    var mine = m.author === me && pending[m.client_id];
    var li = messageItem(m);
    if (mine) {
      var p = pending[m.client_id];
      window.clearTimeout(p.timer);
      p.li.remove();
      forget(m.client_id);
      place(li);
      return;
    }
    if (document.getElementById(li.id)) return;
    place(li);
    if (!muted && !m.hidden && m.author !== me && blocked.indexOf(m.author) < 0) announce((m.author || t("former")) + ": " + m.body);
    if (m.author && typingEl.getAttribute("data-who") === m.author) typingEl.textContent = "";
  }

  // An event not seen yet moves the resume point on; one seen before (a
  // resumed connection's overlap) is skipped.
  function advance(e) {
    if (e.seq <= lastSeq) return false;
    lastSeq = e.seq;
    return true;
  }

  function onEdit(e) {
    if (!advance(e)) return;
    var li = document.getElementById("m" + e.target);
    if (!li || e.hidden) return;
    var body = li.querySelector("p.body");
    if (body) body.textContent = e.body;
    if (!li.querySelector(".edited")) {
      li.querySelector("time").after(el("span", "edited", " " + t("edited")));
    }
  }

  function onDelete(e) {
    if (!advance(e)) return;
    var li = document.getElementById("m" + e.target);
    if (!li) return;
    li.querySelectorAll("p.body, .msg-menu, .post-actions, .edited").forEach(function (n) { n.remove(); });
    li.appendChild(el("p", "deleted", t(e.by === "moderator" ? "removed" : "deleted")));
  }

  // A moderator hid a message. Its author and those who moderate keep the
  // words they have, with a note; everyone else sees that it was hidden.
  function onHide(e) {
    if (!advance(e)) return;
    var li = document.getElementById("m" + e.target);
    if (!li) return;
    li.querySelectorAll(".msg-menu, .post-actions, .hidden-note").forEach(function (n) { n.remove(); });
    var mine = li.querySelector(".author").textContent === me;
    if (mine || moderates) {
      li.appendChild(el("p", "hint hidden-note", t("hidden-shown")));
      return;
    }
    li.querySelectorAll("p.body, details.fold, .edited").forEach(function (n) { n.remove(); });
    li.appendChild(el("p", "deleted", t("hidden")));
  }

  // A hidden message is shown again, with its words as they stand.
  function onRestore(e) {
    if (!advance(e)) return;
    var old = document.getElementById("m" + e.target);
    if (!old || e.hidden) return;
    var author = old.querySelector(".author").textContent;
    var time = old.querySelector("time");
    var li = messageItem({
      seq: e.target,
      author: author === t("former") ? null : author,
      at: Date.parse(time.dateTime),
      body: e.body,
      edited: !!old.querySelector(".edited")
    });
    old.replaceWith(li);
  }

  function onAck(a) {
    var p = pending[a.client_id];
    if (!p) return;
    window.clearTimeout(p.timer);
    p.acked = true;
    p.li.classList.remove("not-sent");
    var state = p.li.querySelector(".state");
    if (state) state.textContent = "";
    // The message itself follows (or came already, on a resumed connection).
    if (a.seq <= lastSeq) {
      p.li.remove();
      forget(a.client_id);
    }
  }

  function onError(e) {
    // A subscription refused for coming too fast: ask again shortly.
    if (!e.client_id && e.room === room && (e.code === "rate_limited" || e.code === "unavailable")) {
      var socket = ws;
      window.setTimeout(function () {
        if (socket && socket === ws && socket.readyState === WebSocket.OPEN) subscribe(socket);
      }, (e.retry_after || 1) * 1000);
      return;
    }
    var p = e.client_id && pending[e.client_id];
    if (!p) return;
    window.clearTimeout(p.timer);
    if (e.code === "rate_limited" || e.code === "unavailable") {
      // Sent too fast, or the server was busy: it goes again by itself.
      p.timer = window.setTimeout(function () { transmit(e.client_id); }, (e.retry_after || 1) * 1000);
      return;
    }
    var reason = e.code === "slow_mode" ? t("err-slow", { seconds: e.retry_after || 1 })
      : e.code === "room_locked" ? t("err-locked")
      : e.code === "group_archived" ? t("err-archived")
      : e.code === "too_large" || e.code === "invalid" ? t("err-body")
      : "";
    notSent(e.client_id, reason);
  }

  function onRoom(state) {
    lockedEl.hidden = !state.locked;
    slowEl.hidden = !state.slow_seconds;
    if (state.slow_seconds) slowEl.textContent = t("slow", { seconds: state.slow_seconds });
  }

  function onPresence(here) {
    var others = here.filter(function (h) { return h !== me; });
    presenceEl.hidden = others.length === 0;
    presenceEl.textContent = others.length ? t("here", { names: others.join(", ") }) : "";
  }

  function onTyping(author) {
    if (author === me || muted) return;
    typingEl.textContent = t("typing", { name: author });
    typingEl.setAttribute("data-who", author);
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () {
      typingEl.textContent = "";
      typingEl.removeAttribute("data-who");
    }, 5000);
  }

  function receive(event) {
    var f;
    try { f = JSON.parse(event.data); } catch (_) { return; }
    if (f.room !== undefined && f.room !== room) return;
    switch (f.type) {
      case "subscribed": onRoom(f); resendAll(); break;
      case "message": onMessage(f); break;
      case "edit": onEdit(f); break;
      case "delete": onDelete(f); break;
      case "hide": onHide(f); break;
      case "restore": onRestore(f); break;
      case "ack": onAck(f); break;
      case "error": onError(f); break;
      case "room": onRoom(f); break;
      case "presence": onPresence(f.here); break;
      case "typing": onTyping(f.author); break;
      case "crisis": onCrisis(f); break;
    }
    markRead();
  }

  // The member's read mark: how far this page has shown the room while in
  // view, sent a moment after the last event (the server keeps it for the
  // unread counts on their home page and in the room list).
  var readSent = 0;
  var readTimer = null;
  function markRead() {
    if (document.visibilityState !== "visible") return;
    window.clearTimeout(readTimer);
    readTimer = window.setTimeout(function () {
      if (lastSeq > readSent && ws && ws.readyState === WebSocket.OPEN) {
        readSent = lastSeq;
        ws.send(JSON.stringify({ type: "read", room: room, seq: lastSeq }));
      }
    }, 2500);
  }
  document.addEventListener("visibilitychange", markRead);

  // Only the writer receives this, after their message is stored: the
  // crisis lines for their region, as the server renders them for pages
  // (the same panel, the same lines as /help). They go right above the
  // composer, where the writer is, and focus moves to them so they are in
  // view and read out at once; whatever is in the composer stays there.
  // They stay until the writer hides them (hearth.js handles the button,
  // and puts focus back in the composer).
  function onCrisis(f) {
    var slot = document.getElementById("crisis-live");
    if (!slot || document.getElementById("crisis-panel")) return;
    var panel = null;
    if (f.html) {
      var parsed = document.createElement("template");
      parsed.innerHTML = f.html;
      panel = parsed.content.querySelector("[data-crisis-panel]");
    }
    if (!panel) {
      // No panel came with it: still the way to help, at once.
      panel = el("section", "crisis-panel");
      panel.id = "crisis-panel";
      panel.tabIndex = -1;
      panel.setAttribute("data-crisis-panel", "");
      panel.setAttribute("aria-labelledby", "crisis-panel-title");
      var h = el("h2", null, t("crisis-title"));
      h.id = "crisis-panel-title";
      panel.appendChild(h);
      var more = el("a", null, t("crisis-more"));
      more.href = f.help_url || "/help";
      var p = el("p");
      p.appendChild(more);
      panel.appendChild(p);
      var row = el("p", "crisis-dismiss");
      row.setAttribute("data-crisis-dismiss-row", "");
      var hide = el("button", "button button-secondary", t("crisis-dismiss"));
      hide.type = "button";
      hide.setAttribute("data-crisis-dismiss", "");
      row.appendChild(hide);
      panel.appendChild(row);
    }
    panel.querySelectorAll("[data-crisis-dismiss-row]").forEach(function (r) { r.hidden = false; });
    slot.appendChild(panel);
    // Its heading first, at every width (a tall panel on a phone included).
    panel.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "start" });
  }

  // --- what goes out -------------------------------------------------------

  function forget(id) {
    delete pending[id];
    order = order.filter(function (x) { return x !== id; });
  }

  function setState(p, text) {
    var state = p.li.querySelector(".state");
    state.textContent = text;
  }

  function transmit(id) {
    var p = pending[id];
    if (!p) return;
    p.li.classList.remove("not-sent");
    var old = p.li.querySelector(".not-sent-actions");
    if (old) old.remove();
    setState(p, t("sending"));
    window.clearTimeout(p.timer);
    p.timer = window.setTimeout(function () { notSent(id, ""); }, ACK_WAIT);
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: "send", room: room, client_id: id, body: p.body }));
    }
  }

  function notSent(id, reason) {
    var p = pending[id];
    if (!p || p.acked) return;
    p.li.classList.add("not-sent");
    setState(p, "");
    if (p.li.querySelector(".not-sent-actions")) return;
    var box = notSentTemplate.content.firstElementChild.cloneNode(true);
    box.classList.add("not-sent-actions");
    if (reason) box.querySelector("span").textContent = t("not-sent") + " " + reason;
    box.querySelector("button").addEventListener("click", function () {
      // Retry means now: a connection waiting out its backoff tries at once.
      reconnectNow();
      transmit(id);
      if (textarea) textarea.focus();
    });
    p.li.appendChild(box);
  }

  function resendAll() {
    order.forEach(function (id) {
      if (pending[id] && !pending[id].acked) transmit(id);
    });
  }

  function submit(event) {
    event.preventDefault();
    var body = textarea.value.trim();
    if (!body) return;
    var id = newId();
    var li = el("li", "pending");
    li.appendChild(el("bdi", "author", me));
    li.appendChild(bodyOf(body));
    var state = el("p", "state hint");
    li.appendChild(state);
    append(li);
    pending[id] = { body: body, li: li, timer: null, acked: false };
    order.push(id);
    textarea.value = "";
    textarea.focus();
    lastTyping = 0; // a sent message ends "typing"; the next one starts anew
    transmit(id);
  }

  if (form && textarea) {
    form.addEventListener("submit", submit);
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping < 3000 || !ws || ws.readyState !== WebSocket.OPEN) return;
      lastTyping = now;
      ws.send(JSON.stringify({ type: "typing", room: room }));
    });
  }

  // --- the connection ------------------------------------------------------

  // The room, from the last message this page saw.
  function subscribe(socket) {
    socket.send(JSON.stringify({ type: "subscribe", room: room, since: lastSeq }));
  }

  // The next attempt after a drop, and whether the session ended (then
  // nothing reconnects until the member logs in again).
  var reconnectTimer = null;
  var sessionEnded = false;

  // Skips the rest of the backoff: the network came back, or the writer
  // asked to retry.
  function reconnectNow() {
    if (ws || sessionEnded || reconnectTimer === null) return;
    window.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    backoff = 500;
    connect();
  }
  window.addEventListener("online", reconnectNow);
  // With the network gone the status says so at once (a socket may take
  // a while to notice), and the connection starts over when it is back.
  window.addEventListener("offline", function () {
    connectionEl.textContent = t("reconnecting");
    presenceEl.hidden = true;
    if (ws) ws.close();
  });

  function connect() {
    reconnectTimer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // With the page's ?lang=, so what the server says here (crisis lines
    // included) is in the page's language.
    var socket = new WebSocket(scheme + window.location.host + "/live" + langQuery);
    ws = socket;
    socket.addEventListener("open", function () {
      backoff = 500;
      connectionEl.textContent = t("live");
      subscribe(socket);
    });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", function (event) {
      if (ws !== socket) return;
      ws = null;
      // The session ended (logged out, ended elsewhere, expired): no
      // reconnecting until they log in again; what is typed stays.
      if (event.code === 4001) {
        sessionEnded = true;
        connectionEl.textContent = t("session-ended");
        presenceEl.hidden = true;
        return;
      }
      connectionEl.textContent = t("reconnecting");
      presenceEl.hidden = true;
      var wait = backoff + Math.random() * backoff;
      backoff = Math.min(backoff * 2, 15000);
      reconnectTimer = window.setTimeout(connect, wait);
    });
  }

  // A handle for debugging and the browser tests: drop() closes the
  // connection as a network failure would.
  window.hearthChat = {
    drop: function () { if (ws) ws.close(); },
    lastSeq: function () { return lastSeq; }
  };

  // Earlier messages load above, and the reader stays where they were.
  var earlier = document.getElementById("chat-earlier");
  var slug = (base.match(/^\/groups\/([^/]+)\//) || [])[1];
  if (earlier && slug && window.fetch) {
    earlier.addEventListener("click", function (event) {
      var first = log.querySelector("li[data-seq]");
      if (!first) return;
      event.preventDefault();
      var before = Number(first.getAttribute("data-seq"));
      fetch("/api/v1/groups/" + encodeURIComponent(slug) + "/rooms/" + room + "/messages?limit=50&before=" + before, {
        credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (list) {
        if (!list) { window.location.href = earlier.href; return; }
        // Whatever the browser does to keep its own place, the message
        // that was first stays where it was on the screen.
        var top = first.getBoundingClientRect().top;
        for (var i = list.length - 1; i >= 0; i--) {
          if (!document.getElementById("m" + list[i].seq)) log.insertBefore(messageItem(list[i]), log.firstChild);
        }
        window.scrollBy(0, first.getBoundingClientRect().top - top);
        if (list.length < 50) earlier.parentNode.hidden = true;
        else earlier.href = earlier.href.replace(/before=\d+/, "before=" + list[0].seq);
        announce(t("earlier-loaded"));
      }).catch(function () { window.location.href = earlier.href; });
    });
  }

  // What works with this script: say so in the composer's hint.
  var hint = document.getElementById("body-hint");
  if (hint) hint.textContent = t("hint-js");
  showTimes();
  window.setInterval(showTimes, 30000);
  toBottom();
  connect();
})();
