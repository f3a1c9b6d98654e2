// A live session's room. Joining, audio, video and the facilitators'
// controls go over the /live WebSocket (docs/protocol.md); media goes to
// the node's own media server over WebRTC. The server decides who is in,
// who may speak and who is removed: this file only asks and shows.
// - Everyone comes in muted with the camera off; the microphone or camera
//   is asked for only when the person turns it on.
// - Video is sent in two layers (about 180p and 360p); the server forwards
//   to each viewer the one their link carries.
// - A dropped connection reconnects and joins again: the server keeps the
//   person's number, a facilitator's mute and the room's lock.
(function () {
  "use strict";
  var root = document.getElementById("session");
  if (!root || !window.WebSocket || !window.RTCPeerConnection) return;

  var meeting = Number(root.getAttribute("data-meeting"));
  var date = root.getAttribute("data-date");
  var joinForm = document.getElementById("session-join");
  var anonymousBox = document.getElementById("session-anonymous");
  var statusEl = document.getElementById("session-status");
  var alertEl = document.getElementById("session-alert");
  // Joining again after the room's server changed (the alert says so).
  var retrying = false;
  var live = document.getElementById("session-live");
  var micBtn = document.getElementById("session-mic");
  var camBtn = document.getElementById("session-camera");
  var handBtn = document.getElementById("session-hand");
  var leaveBtn = document.getElementById("session-leave");
  var tiles = document.getElementById("session-tiles");
  var handsEl = document.getElementById("session-hands");
  var handsNone = document.getElementById("session-hands-none");
  var peopleEl = document.getElementById("session-people");
  var timerEl = document.getElementById("session-timer");
  var facilitate = document.getElementById("session-facilitate");
  var waitingEl = document.getElementById("session-waiting");
  var waitingNone = document.getElementById("session-waiting-none");
  var lockBtn = document.getElementById("session-lock");
  var lobbyBtn = document.getElementById("session-lobby");
  var endBtn = document.getElementById("session-end");
  var turnSeconds = document.getElementById("session-turn-seconds");
  var incidentForm = document.getElementById("session-incident");
  var incidentWho = document.getElementById("session-incident-who");
  var incidentNote = document.getElementById("session-incident-note");
  var incidentUrgent = document.getElementById("session-incident-urgent");
  var incidentStatus = document.getElementById("session-incident-status");

  var chatAnnounce = document.getElementById("session-chat-announce");
  var backchannelSection = document.getElementById("session-backchannel");
  var crisisSlot = document.getElementById("session-crisis");

  var ws = null;
  // The session's chat, and the facilitators' own: chat rooms
  // (docs/protocol.md), each read from the last number seen after a
  // reconnect. Room id → { log, body, status, seq, pending }.
  var chats = {};
  var chatRoom = null;
  var myName = null;

  function chat(prefix) {
    return {
      log: document.getElementById(prefix + "-log"),
      form: document.getElementById(prefix + "-form"),
      body: document.getElementById(prefix + "-body"),
      status: document.getElementById(prefix + "-status"),
      seq: 0,
      pending: {}, // client id → the list item showing "Sending…"
      room: null
    };
  }
  var mainChat = chat("session-chat");
  var backChat = chat("session-backchannel");

  function follow(c, room) {
    if (room === null || room === undefined) return;
    if (c.room !== room) c.seq = 0;
    c.room = room;
    chats[room] = c;
    send({ type: "subscribe", room: room, since: c.seq });
  }
  var pc = null;
  var audioTx = null;
  var videoTx = null;
  var micTrack = null;
  var camTrack = null;
  var view = null;
  var joined = false; // wants to be in the room
  var closed = false; // the server said this seat is over
  var anonymous = false;
  var backoff = 500;
  var streams = {}; // participant number → MediaStream
  var waitingSeen = {};
  var timerTick = null;

  function t(name) {
    return root.getAttribute("data-t-" + name) || "";
  }

  function say(text) {
    statusEl.textContent = text;
  }

  function send(frame) {
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame));
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/live");
    ws.onopen = function () {
      backoff = 500;
      send({ type: "session_join", meeting: meeting, date: date, anonymous: anonymous });
    };
    ws.onmessage = function (e) {
      var frame;
      try { frame = JSON.parse(e.data); } catch (_) { return; }
      handle(frame);
    };
    ws.onclose = function () {
      ws = null;
      view = null;
      stopMedia();
      if (joined && !closed) {
        say(t("reconnecting"));
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 10000);
      }
    };
  }

  function handle(f) {
    switch (f.type) {
      case "session_state":
        var first = !view;
        view = f;
        if (first) {
          if (retrying) alertEl.hidden = true;
          retrying = false;
          live.hidden = false;
          say(t("in-room"));
          startMedia();
          chatRoom = f.chat_room;
          follow(mainChat, f.chat_room);
          if (f.backchannel_room) {
            backchannelSection.hidden = false;
            follow(backChat, f.backchannel_room);
          }
          var self = me();
          myName = self && self.name;
        }
        render();
        break;
      case "session_waiting":
        view = null;
        stopMedia();
        live.hidden = true;
        say(t("waiting"));
        break;
      case "session_answer":
        if (pc) pc.setRemoteDescription({ type: "answer", sdp: f.sdp }).catch(mediaLost);
        break;
      case "session_offer":
        answerOffer(f.sdp);
        break;
      case "session_incident_logged":
        incidentStatus.textContent = t("incident-logged");
        incidentNote.value = "";
        incidentUrgent.checked = false;
        break;
      case "session_media_closed":
        mediaLost();
        break;
      case "session_closed":
        closed = true;
        joined = false;
        view = null;
        stopMedia();
        live.hidden = true;
        say(t("closed-" + f.reason) || f.reason);
        if (ws) ws.close();
        break;
      case "message":
        if (chats[f.room]) chatMessage(chats[f.room], f);
        break;
      case "ack":
        if (chats[f.room]) {
          var li = chats[f.room].pending[f.client_id];
          delete chats[f.room].pending[f.client_id];
          if (li) {
            li.setAttribute("data-seq", String(f.seq));
            var note = li.querySelector(".pending");
            if (note) note.remove();
          }
        }
        break;
      case "delete":
      case "hide":
        if (chats[f.room]) {
          var c = chats[f.room];
          c.seq = Math.max(c.seq, f.seq);
          var gone = c.log.querySelector('[data-seq="' + f.target + '"] .body');
          if (gone) gone.textContent = t("removed-message");
        }
        break;
      case "crisis":
        if (f.room === chatRoom) onCrisis(f);
        break;
      case "error":
        if (f.room && chats[f.room]) {
          chats[f.room].status.textContent = f.message;
          return;
        }
        if (f.code === "session_moved" || (f.code === "session_elsewhere" && !view)) {
          // The server running the room stopped, or another is taking
          // it over: join again, with the usual backoff.
          alertEl.textContent = f.message;
          alertEl.hidden = false;
          retrying = true;
          view = null;
          stopMedia();
          if (ws) ws.close();
          return;
        }
        if (f.code && f.code.indexOf("session_") === 0) {
          alertEl.textContent = f.message;
          alertEl.hidden = false;
          if (!view) {
            // The join itself was refused: nothing to retry.
            joined = false;
            closed = true;
            if (ws) ws.close();
          }
        }
        break;
    }
  }

  function chatMessage(c, m) {
    c.seq = Math.max(c.seq, m.seq);
    if (m.client_id && c.pending[m.client_id]) return;
    if (c.log.querySelector('[data-seq="' + m.seq + '"]')) return;
    var li = document.createElement("li");
    li.setAttribute("data-seq", String(m.seq));
    var who = document.createElement("bdi");
    who.className = "author";
    who.textContent = m.author || "";
    var body = document.createElement("p");
    body.className = "body";
    body.setAttribute("dir", "auto");
    body.textContent = m.deleted || m.hidden ? t("removed-message") : m.body;
    li.appendChild(who);
    li.appendChild(body);
    c.log.appendChild(li);
    if (m.author && m.author !== myName) chatAnnounce.textContent = t("chat-from") + " " + m.author + ": " + m.body;
  }

  // Only the writer gets this, after their message is stored: the crisis
  // lines for their region, as pages show them, right above the composer,
  // and focus on them (what they typed stays).
  function onCrisis(f) {
    if (!f.html || crisisSlot.querySelector("[data-crisis-panel]")) return;
    var parsed = document.createElement("template");
    parsed.innerHTML = f.html;
    var panel = parsed.content.querySelector("[data-crisis-panel]");
    if (!panel) return;
    panel.querySelectorAll("[data-crisis-dismiss-row]").forEach(function (r) { r.hidden = false; });
    crisisSlot.appendChild(panel);
    panel.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "start" });
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function composer(c) {
    c.form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = c.body.value.trim();
      if (!body || c.room === null) return;
      var id = newId();
      var li = document.createElement("li");
      var who = document.createElement("bdi");
      who.className = "author";
      who.textContent = myName || t("you");
      var text = document.createElement("p");
      text.className = "body";
      text.setAttribute("dir", "auto");
      text.textContent = body;
      var note = document.createElement("p");
      note.className = "hint pending";
      note.textContent = t("sending");
      li.appendChild(who);
      li.appendChild(text);
      li.appendChild(note);
      c.log.appendChild(li);
      c.pending[id] = li;
      c.status.textContent = "";
      send({ type: "send", room: c.room, client_id: id, body: body });
      c.body.value = "";
    });
  }
  composer(mainChat);
  composer(backChat);

  function startMedia() {
    stopMedia();
    pc = new RTCPeerConnection({ iceServers: (view && view.ice_servers) || [] });
    audioTx = pc.addTransceiver("audio", { direction: "sendonly" });
    videoTx = pc.addTransceiver("video", {
      direction: "sendonly",
      sendEncodings: [
        { rid: "l", scaleResolutionDownBy: 2, maxBitrate: 150000 },
        { rid: "h", maxBitrate: 500000 }
      ]
    });
    if (micTrack) audioTx.sender.replaceTrack(micTrack);
    if (camTrack) videoTx.sender.replaceTrack(camTrack);
    pc.ontrack = function (e) {
      var stream = e.streams && e.streams[0];
      if (!stream) return;
      streams[stream.id] = stream;
      render();
    };
    pc.onconnectionstatechange = function () {
      if (pc && pc.connectionState === "failed") mediaLost();
    };
    var mine = pc;
    pc.createOffer()
      .then(function (offer) { return mine.setLocalDescription(offer); })
      .then(function () {
        if (mine === pc) send({ type: "session_offer", sdp: mine.localDescription.sdp });
      })
      .catch(mediaLost);
  }

  function answerOffer(sdp) {
    if (!pc) return;
    var mine = pc;
    mine.setRemoteDescription({ type: "offer", sdp: sdp })
      .then(function () { return mine.createAnswer(); })
      .then(function (answer) { return mine.setLocalDescription(answer); })
      .then(function () {
        if (mine === pc) send({ type: "session_answer", sdp: mine.localDescription.sdp });
      })
      .catch(mediaLost);
  }

  function stopMedia() {
    if (pc) {
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    streams = {};
  }

  var relosing = false;
  function mediaLost() {
    if (relosing || !view) return;
    relosing = true;
    say(t("media-lost"));
    stopMedia();
    setTimeout(function () {
      relosing = false;
      if (view && joined) {
        startMedia();
        say(t("in-room"));
      }
    }, 1000);
  }

  function me() {
    return view ? find(view.you) : null;
  }

  function label(p) {
    var name = p.name || t("participant") + " " + p.id;
    var notes = [];
    if (p.id === view.you) notes.push(t("you"));
    if (p.facilitator) notes.push(t("facilitator"));
    return notes.length ? name + " (" + notes.join(", ") + ")" : name;
  }

  function button(text, cls, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button-small " + (cls || "button-secondary");
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function act(action, participant, seconds) {
    var frame = { type: "session_act", action: action };
    if (participant !== undefined) frame.participant = participant;
    if (seconds !== undefined) frame.seconds = seconds;
    send(frame);
  }

  function render() {
    if (!view) return;
    var self = me();
    var micOn = !!micTrack && micTrack.enabled;
    var camOn = !!camTrack;
    micBtn.textContent = micOn ? t("mic-on") : t("mic-off");
    micBtn.setAttribute("aria-pressed", String(micOn));
    micBtn.disabled = !!(self && self.mic_held);
    camBtn.textContent = camOn ? t("camera-on") : t("camera-off");
    camBtn.setAttribute("aria-pressed", String(camOn));
    camBtn.disabled = !!(self && self.camera_held);
    var raised = view.hands.indexOf(view.you) >= 0;
    handBtn.textContent = raised ? t("hand-lower") : t("hand-raise");
    handBtn.setAttribute("aria-pressed", String(raised));

    renderTiles();

    // Hands, in the order raised, for everyone.
    handsEl.textContent = "";
    handsNone.hidden = view.hands.length > 0;
    view.hands.forEach(function (n) {
      var p = find(n);
      var li = document.createElement("li");
      li.textContent = p ? label(p) : t("participant") + " " + n;
      if (view.facilitator) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(t("turn"), "button-secondary", function () {
          act("timer_start", n, Number(turnSeconds.value));
        }));
        li.appendChild(button(t("lower-hand"), "button-secondary", function () { act("lower_hand", n); }));
      }
      handsEl.appendChild(li);
    });

    // People, with the facilitators' controls beside each other person.
    peopleEl.textContent = "";
    view.participants.forEach(function (p) {
      var li = document.createElement("li");
      li.setAttribute("data-participant", String(p.id));
      var text = label(p);
      if (p.mic_held) text += " · " + t("muted-by");
      if (p.camera_held) text += " · " + t("camera-held");
      var span = document.createElement("span");
      span.textContent = text;
      li.appendChild(span);
      if (view.facilitator && p.id !== view.you) {
        var tools = document.createElement("span");
        tools.className = "toolbar";
        tools.appendChild(p.mic_held
          ? button(t("allow-mic"), "", function () { act("allow_mic", p.id); })
          : button(t("mute"), "", function () { act("mute", p.id); }));
        tools.appendChild(p.camera_held
          ? button(t("allow-camera"), "", function () { act("allow_camera", p.id); })
          : button(t("camera-stop"), "", function () { act("camera_off", p.id); }));
        tools.appendChild(button(t("turn"), "", function () {
          act("timer_start", p.id, Number(turnSeconds.value));
        }));
        tools.appendChild(button(t("to-lobby"), "", function () { act("to_lobby", p.id); }));
        tools.appendChild(button(t("remove"), "button-danger", function () { act("remove", p.id); }));
        li.appendChild(tools);
      }
      peopleEl.appendChild(li);
    });

    // Facilitators: the lobby, the lock, the end.
    facilitate.hidden = !view.facilitator;
    if (view.facilitator) {
      waitingEl.textContent = "";
      var waiting = view.waiting || [];
      waitingNone.hidden = waiting.length > 0;
      var someoneNew = false;
      waiting.forEach(function (w) {
        if (!waitingSeen[w.id]) someoneNew = true;
        waitingSeen[w.id] = true;
        var li = document.createElement("li");
        li.textContent = w.name + " ";
        li.appendChild(button(t("admit"), "", function () { act("admit", w.id); }));
        li.appendChild(button(t("deny"), "button-secondary", function () { act("deny", w.id); }));
        waitingEl.appendChild(li);
      });
      if (someoneNew) {
        alertEl.textContent = t("lobby-alert");
        alertEl.hidden = false;
        chime();
      }
      // Whom an incident is about: everyone else in the room.
      var chosen = incidentWho.value;
      incidentWho.textContent = "";
      view.participants.forEach(function (p) {
        if (p.id === view.you) return;
        var o = document.createElement("option");
        o.value = String(p.id);
        o.textContent = p.name || t("participant") + " " + p.id;
        incidentWho.appendChild(o);
      });
      if (chosen) incidentWho.value = chosen;
      lockBtn.textContent = view.locked ? t("unlock") : t("lock");
      lobbyBtn.textContent = view.lobby ? t("lobby-off") : t("lobby-on");
    }
    renderTimer();
    obeyHolds();
  }

  function find(n) {
    for (var i = 0; i < view.participants.length; i++) {
      if (view.participants[i].id === n) return view.participants[i];
    }
    return null;
  }

  function renderTiles() {
    var keep = {};
    view.participants.forEach(function (p) {
      if (p.id === view.you) return;
      var id = "tile-" + p.id;
      keep[id] = true;
      var fig = document.getElementById(id);
      if (!fig) {
        fig = document.createElement("figure");
        fig.id = id;
        fig.className = "tile";
        var video = document.createElement("video");
        video.autoplay = true;
        video.playsInline = true;
        video.setAttribute("data-participant", String(p.id));
        fig.appendChild(video);
        fig.appendChild(document.createElement("figcaption"));
        tiles.appendChild(fig);
      }
      fig.querySelector("figcaption").textContent = label(p);
      var v = fig.querySelector("video");
      var stream = streams[String(p.id)];
      if (stream && v.srcObject !== stream) {
        v.srcObject = stream;
        var played = v.play();
        if (played && played.catch) played.catch(function () {});
      }
      v.setAttribute("aria-label", label(p));
    });
    Array.prototype.slice.call(tiles.children).forEach(function (el) {
      if (!keep[el.id]) tiles.removeChild(el);
    });
  }

  function renderTimer() {
    if (timerTick) clearInterval(timerTick);
    timerTick = null;
    var timer = view && view.timer;
    if (!timer) {
      timerEl.hidden = true;
      return;
    }
    var p = find(timer.participant);
    var who = p ? label(p) : t("participant") + " " + timer.participant;
    function tick() {
      var left = Math.max(0, Math.round((timer.ends_at - Date.now()) / 1000));
      var m = Math.floor(left / 60);
      var s = left % 60;
      timerEl.textContent = left > 0
        ? who + " " + t("speaking") + " " + m + ":" + (s < 10 ? "0" : "") + s
        : t("turn-over");
      if (left <= 0 && timerTick) {
        clearInterval(timerTick);
        timerTick = null;
      }
    }
    timerEl.hidden = false;
    tick();
    timerTick = setInterval(tick, 1000);
  }

  // A short, quiet tone for the facilitator when someone waits.
  function chime() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 660;
      gain.gain.value = 0.05;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.2);
    } catch (_) {}
  }

  function toggleMic() {
    if (micTrack) {
      micTrack.stop();
      micTrack = null;
      if (audioTx) audioTx.sender.replaceTrack(null);
      reportMedia();
      return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
      micTrack = s.getAudioTracks()[0];
      if (audioTx) audioTx.sender.replaceTrack(micTrack);
      reportMedia();
    }, deviceRefused);
  }

  function toggleCamera() {
    if (camTrack) {
      camTrack.stop();
      camTrack = null;
      if (videoTx) videoTx.sender.replaceTrack(null);
      reportMedia();
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } }).then(function (s) {
      camTrack = s.getVideoTracks()[0];
      if (videoTx) videoTx.sender.replaceTrack(camTrack);
      reportMedia();
    }, deviceRefused);
  }

  function deviceRefused() {
    alertEl.textContent = t("device-refused");
    alertEl.hidden = false;
  }

  function reportMedia() {
    send({ type: "session_media", mic: !!micTrack, camera: !!camTrack });
    render();
  }

  // A facilitator's hold turns one's own device off too.
  function obeyHolds() {
    var self = me();
    if (!self) return;
    if (self.mic_held && micTrack) toggleMic();
    if (self.camera_held && camTrack) toggleCamera();
  }

  micBtn.addEventListener("click", toggleMic);
  camBtn.addEventListener("click", toggleCamera);
  handBtn.addEventListener("click", function () {
    send({ type: "session_hand", raised: !(view && view.hands.indexOf(view.you) >= 0) });
  });
  leaveBtn.addEventListener("click", function () {
    joined = false;
    send({ type: "session_leave" });
    if (micTrack) { micTrack.stop(); micTrack = null; }
    if (camTrack) { camTrack.stop(); camTrack = null; }
    stopMedia();
    view = null;
    live.hidden = true;
    joinForm.hidden = false;
    say(t("closed-left"));
    if (ws) ws.close();
  });
  incidentForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!incidentWho.value) return;
    send({
      type: "session_act",
      action: "incident",
      participant: Number(incidentWho.value),
      note: incidentNote.value,
      urgent: incidentUrgent.checked
    });
  });
  lockBtn.addEventListener("click", function () { act(view && view.locked ? "unlock" : "lock"); });
  lobbyBtn.addEventListener("click", function () { act(view && view.lobby ? "lobby_off" : "lobby_on"); });
  endBtn.addEventListener("click", function () {
    if (window.confirm(t("end-confirm"))) act("end");
  });

  joinForm.hidden = false;
  joinForm.addEventListener("submit", function (e) {
    e.preventDefault();
    anonymous = anonymousBox.checked;
    joined = true;
    closed = false;
    alertEl.hidden = true;
    joinForm.hidden = true;
    say(t("joining"));
    connect();
  });
})();
