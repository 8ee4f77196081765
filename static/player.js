/* cinedoc's embeddable player: hls.js behind our own control bar.
 *
 * The page carries a grant (from the portal's assertion, CAS or the on-site check). Pressing play opens a playback
 * session, which returns the master playlist's URL with a path token. When the token stops working (expired, key
 * rotated, 403), the player opens a fresh session with the same grant and resumes where it was. Nothing plays before
 * the patron asks: no autoplay, with or without sound. Texts come from the page (#player-strings), in its language.
 */
(function () {
  "use strict";

  var root = document.getElementById("player");
  if (!root || typeof Hls === "undefined") { return; }
  var strings = JSON.parse(document.getElementById("player-strings").textContent);
  var video = document.getElementById("video");
  var $ = function (id) { return document.getElementById(id); };
  var playButton = $("play"), seek = $("seek"), time = $("time"), muteButton = $("mute"), volume = $("volume");
  var captionsButton = $("captions"), adButton = $("audio-description"), settingsButton = $("settings");
  var settingsPanel = $("settings-panel"), fullscreenButton = $("fullscreen"), status = $("player-status");
  var refusalBox = $("player-refusal"), trackSelect = $("caption-track");
  var transcriptToggle = $("transcript-toggle"), transcript = $("transcript");

  var state = {
    hls: null, session: null, grant: root.dataset.grant, filmId: Number(root.dataset.film),
    duration: Number(root.dataset.duration) || 0, sessions: 0, refreshes: 0, refreshing: null, opening: null,
    wantCaptions: false, wantAD: false, captionChoice: -1, wantPlaying: false, refused: null, errors: [],
    recentRefreshes: [],
  };
  window.cinedocPlayer = state;  // read by the browser tests, and handy when a library asks for support

  function say(text) { status.textContent = text; }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function showRefusal(message) {
    state.refused = message;
    refusalBox.textContent = message;
    refusalBox.hidden = false;
    playButton.disabled = true;
  }

  // --- preferences (kept in this browser; storage may be partitioned or refused in a third-party frame) ---------
  var prefs = { size: "medium", colour: "authored", background: "black" };
  try { Object.assign(prefs, JSON.parse(localStorage.getItem("cinedoc-captions") || "{}")); } catch (e) { /* none */ }

  function applyCaptionStyle() {
    ["small", "medium", "large", "xlarge"].forEach(function (v) { video.classList.toggle("caption-size-" + v, prefs.size === v); });
    ["authored", "white", "yellow", "cyan"].forEach(function (v) { video.classList.toggle("caption-colour-" + v, prefs.colour === v); });
    ["black", "translucent", "none"].forEach(function (v) { video.classList.toggle("caption-bg-" + v, prefs.background === v); });
    $("caption-size").value = prefs.size;
    $("caption-colour").value = prefs.colour;
    $("caption-background").value = prefs.background;
    try { localStorage.setItem("cinedoc-captions", JSON.stringify(prefs)); } catch (e) { /* not kept */ }
  }

  // --- sessions --------------------------------------------------------------------------------------------------
  function openSession() {
    if (state.opening) { return state.opening; }
    state.opening = fetch(root.dataset.sessionUrl, {
      method: "POST", credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ film_id: state.filmId, grant: state.grant }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error(body.detail || strings.error);
          error.refusal = true;
          throw error;
        }
        state.session = body;
        state.sessions += 1;
        return body;
      });
    }).finally(function () { state.opening = null; });
    return state.opening;
  }

  function withSignature(url) {
    var query = state.session && state.session.cdn_query;
    if (!query || url.indexOf("Signature=") !== -1) { return url; }
    return url + (url.indexOf("?") === -1 ? "?" : "&") + query;
  }

  function createPlayer(session, startPosition) {
    if (state.hls) { state.hls.destroy(); }
    // At most 20 s ahead, whatever the bitrate: a patron who stops early has not downloaded the film.
    var config = {
      startPosition: startPosition, maxBufferLength: 12, maxMaxBufferLength: 20, backBufferLength: 30,
      subtitleDisplay: state.wantCaptions, renderTextTracksNatively: true, enableWorker: true,
    };
    if (session.cdn_query) {
      config.xhrSetup = function (xhr, url) { xhr.open("GET", withSignature(url), true); };
    }
    var hls = new Hls(config);
    state.hls = hls;
    hls.on(Hls.Events.ERROR, onError);
    hls.on(Hls.Events.MANIFEST_PARSED, function () {
      fillTrackChoices();
      applyTracks();
      if (state.wantPlaying) { play(); }
    });
    hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, function () { fillTrackChoices(); applyTracks(); });
    hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, applyTracks);
    hls.loadSource(session.playlist_url);
    hls.attachMedia(video);
  }

  function start() {
    say(strings.loading);
    state.wantPlaying = true;
    return openSession().then(function (session) {
      createPlayer(session, -1);
    }).catch(function (error) {
      state.wantPlaying = false;
      showRefusal(error.message || strings.error);
    });
  }

  function refresh() {
    // A 403 mid-film: the token expired or its key was retired. Same grant, new session, same position.
    if (state.refreshing || state.refused) { return; }
    var now = Date.now();
    state.recentRefreshes = state.recentRefreshes.filter(function (t) { return now - t < 60000; });
    if (state.recentRefreshes.length >= 4) { showRefusal(strings.error); return; }
    state.recentRefreshes.push(now);
    var position = video.currentTime || 0;
    state.wantPlaying = state.wantPlaying || !video.paused;
    state.refreshes += 1;
    say(strings.resuming);
    state.refreshing = openSession().then(function (session) {
      createPlayer(session, position);
    }).catch(function (error) {
      showRefusal(error.message || strings.error);
    }).finally(function () { state.refreshing = null; });
  }

  function onError(_event, data) {
    var code = data.response && data.response.code;
    state.errors.push((data.details || "") + ":" + (code || "") + (data.fatal ? ":fatal" : ""));
    if (code === 403 || code === 401 || code === 410) { refresh(); return; }
    if (!data.fatal) { return; }
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) { state.hls.recoverMediaError(); return; }
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) { refresh(); return; }
    showRefusal(strings.error);
  }

  // --- tracks ----------------------------------------------------------------------------------------------------
  function isSme(track) {
    var characteristics = (track.attrs && track.attrs.CHARACTERISTICS) || "";
    return characteristics.indexOf("transcribes-spoken-dialog") !== -1;
  }

  function describesVideo(track) {
    var characteristics = (track.attrs && track.attrs.CHARACTERISTICS) || "";
    return characteristics.indexOf("describes-video") !== -1;
  }

  function fillTrackChoices() {
    var tracks = state.hls ? state.hls.subtitleTracks : [];
    if (!tracks.length) { return; }
    trackSelect.textContent = "";
    tracks.forEach(function (track, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = track.name || track.lang || String(index + 1);
      trackSelect.appendChild(option);
    });
    if (state.captionChoice < 0) {
      var sme = tracks.findIndex(isSme);
      state.captionChoice = sme >= 0 ? sme : 0;
    }
    trackSelect.value = String(state.captionChoice);
  }

  function applyTracks() {
    var hls = state.hls;
    if (!hls) { return; }
    if (hls.subtitleTracks.length) {
      hls.subtitleDisplay = state.wantCaptions;
      var wanted = state.wantCaptions ? Math.max(0, state.captionChoice) : -1;
      if (hls.subtitleTrack !== wanted) { hls.subtitleTrack = wanted; }
    }
    if (hls.audioTracks.length > 1) {
      var ad = hls.audioTracks.findIndex(describesVideo);
      var main = hls.audioTracks.findIndex(function (t) { return !describesVideo(t); });
      var target = state.wantAD && ad >= 0 ? ad : Math.max(0, main);
      if (hls.audioTrack !== target) { hls.audioTrack = target; }
    }
  }

  function setPressed(button, on) { button.setAttribute("aria-pressed", on ? "true" : "false"); }

  function toggleCaptions() {
    if (captionsButton.disabled) { return; }
    state.wantCaptions = !state.wantCaptions;
    setPressed(captionsButton, state.wantCaptions);
    applyTracks();
    say(state.wantCaptions ? strings.captions_on : strings.captions_off);
  }

  function toggleAD() {
    if (adButton.disabled) { return; }
    state.wantAD = !state.wantAD;
    setPressed(adButton, state.wantAD);
    applyTracks();
    say(state.wantAD ? strings.ad_on : strings.ad_off);
  }

  // --- playback controls -----------------------------------------------------------------------------------------
  function play() {
    var attempt = video.play();
    if (attempt && attempt.catch) { attempt.catch(function () { /* the patron presses play again */ }); }
  }

  function togglePlay() {
    if (state.refused) { return; }
    if (!state.session && !state.opening) { start(); return; }
    if (video.paused) { state.wantPlaying = true; play(); } else { state.wantPlaying = false; video.pause(); }
  }

  function seekBy(seconds) {
    if (!state.hls) { return; }
    video.currentTime = Math.max(0, Math.min((video.duration || state.duration) - 0.5, video.currentTime + seconds));
  }

  function toggleMute() {
    video.muted = !video.muted;
    setPressed(muteButton, video.muted);
    muteButton.querySelector(".label").textContent = video.muted ? strings.unmute : strings.mute;
  }

  // The whole layout goes full screen, so that the transcript and chapters stay beside the picture.
  var layout = $("main");
  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    if (layout.requestFullscreen) { layout.requestFullscreen().catch(function () { /* refused by the frame */ }); }
  }

  function updateTime() {
    var total = video.duration && isFinite(video.duration) ? video.duration : state.duration;
    seek.max = String(Math.max(1, Math.round(total)));
    if (document.activeElement !== seek) { seek.value = String(Math.floor(video.currentTime)); }
    var text = strings.position.replace("{current}", clock(video.currentTime)).replace("{total}", clock(total));
    seek.setAttribute("aria-valuetext", text);
    time.textContent = clock(video.currentTime) + " / " + clock(total);
  }

  video.addEventListener("play", function () {
    playButton.setAttribute("aria-label", strings.pause);
    $("play-icon").textContent = "❚❚";
    say(strings.playing);
  });
  video.addEventListener("pause", function () {
    playButton.setAttribute("aria-label", strings.play);
    $("play-icon").textContent = "▶";
    if (!state.refreshing) { say(strings.paused); }
  });
  video.addEventListener("ended", function () { state.wantPlaying = false; say(strings.ended); });
  video.addEventListener("timeupdate", updateTime);
  video.addEventListener("loadedmetadata", updateTime);

  playButton.addEventListener("click", togglePlay);
  muteButton.addEventListener("click", toggleMute);
  captionsButton.addEventListener("click", toggleCaptions);
  adButton.addEventListener("click", toggleAD);
  fullscreenButton.addEventListener("click", toggleFullscreen);
  seek.addEventListener("input", function () { if (state.hls) { video.currentTime = Number(seek.value); } });
  volume.addEventListener("input", function () { video.volume = Number(volume.value); });
  settingsButton.addEventListener("click", function () {
    var open = settingsPanel.hidden;
    settingsPanel.hidden = !open;
    settingsButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { $("caption-track").focus(); }
  });
  trackSelect.addEventListener("change", function () {
    if (trackSelect.value === "") { return; }
    state.captionChoice = Number(trackSelect.value);
    if (!state.wantCaptions) { toggleCaptions(); } else { applyTracks(); }
  });
  $("caption-size").addEventListener("change", function (e) { prefs.size = e.target.value; applyCaptionStyle(); });
  $("caption-colour").addEventListener("change", function (e) { prefs.colour = e.target.value; applyCaptionStyle(); });
  $("caption-background").addEventListener("change", function (e) { prefs.background = e.target.value; applyCaptionStyle(); });

  // Shortcuts anywhere in the player, except where the key already means something (typing, a focused button's
  // Space/Enter, arrows on a slider or a list).
  root.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = event.target.tagName;
    var onControl = tag === "BUTTON" || tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA";
    var key = event.key;
    if ((key === " " || key === "Enter") && onControl) { return; }
    if ((key === "ArrowLeft" || key === "ArrowRight") && (tag === "INPUT" || tag === "SELECT")) { return; }
    var handled = true;
    if (key === " " || key === "k" || key === "K") { togglePlay(); }
    else if (key === "ArrowLeft") { seekBy(-5); }
    else if (key === "ArrowRight") { seekBy(5); }
    else if (key === "c" || key === "C") { toggleCaptions(); }
    else if (key === "d" || key === "D") { toggleAD(); }
    else if (key === "m" || key === "M") { toggleMute(); }
    else if (key === "f" || key === "F") { toggleFullscreen(); }
    else if (key === "Escape" && !settingsPanel.hidden) { settingsButton.click(); settingsButton.focus(); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  // --- transcript, built from the caption track's WebVTT files fetched with the session's token -------------------
  function transcriptFromVtt(texts) {
    var lines = [];
    texts.forEach(function (text) {
      text.split(/\r?\n\r?\n/).forEach(function (block) {
        var rows = block.split(/\r?\n/);
        var timing = rows.findIndex(function (row) { return row.indexOf("-->") !== -1; });
        if (timing < 0) { return; }
        var body = rows.slice(timing + 1).join(" ").replace(/<[^>]*>/g, "").trim();
        if (body) { lines.push([rows[timing].split("-->")[0].trim().replace(/\.\d+$/, ""), body]); }
      });
    });
    return lines;
  }

  function loadTranscript() {
    var hls = state.hls;
    var track = hls && hls.subtitleTracks[Math.max(0, state.captionChoice)];
    if (!track) { return Promise.resolve(null); }
    return fetch(withSignature(track.url), { credentials: "omit" }).then(function (r) { return r.text(); })
      .then(function (playlist) {
        var files = playlist.split(/\r?\n/).filter(function (l) { return l && l.charAt(0) !== "#"; });
        return Promise.all(files.map(function (file) {
          return fetch(withSignature(new URL(file, track.url).href), { credentials: "omit" })
            .then(function (r) { return r.text(); });
        }));
      }).then(transcriptFromVtt);
  }

  if (transcriptToggle) {
    transcriptToggle.addEventListener("click", function () {
      var open = transcript.hidden;
      transcript.hidden = !open;
      transcriptToggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open || !state.hls) { return; }
      loadTranscript().then(function (lines) {
        if (!lines) { return; }
        transcript.textContent = "";
        if (!lines.length) { transcript.textContent = strings.transcript_empty; return; }
        lines.forEach(function (line) {
          var p = document.createElement("p");
          var when = document.createElement("span");
          when.className = "cue-time";
          when.textContent = line[0];
          p.appendChild(when);
          p.appendChild(document.createTextNode(line[1]));
          transcript.appendChild(p);
        });
      }).catch(function () { transcript.textContent = strings.error; });
    });
  }

  // --- viewing log (audience context): what was played, in batches bound to the playback session ------------------
  // Seconds actually played are counted from timeupdate steps (a seek is a jump, not watching). Each session numbers
  // its events; a batch that failed is sent again with the same id and numbers, which the server stores only once.
  var log = { sessionId: null, previous: null, seq: 0, watched: 0, last: null, queue: [], sending: false };
  function logEvent(kind) {
    var current = state.session && state.session.session_id;
    if (!current) { return; }
    if (current !== log.sessionId) {
      log.previous = log.sessionId; log.sessionId = current; log.seq = 0; log.watched = 0;
    }
    log.queue.push({ session: current, continues: log.previous, event: {
      seq: log.seq++, kind: kind, at: new Date().toISOString(),
      position: Math.max(0, video.currentTime || 0), watched: Math.round(log.watched * 10) / 10 } });
  }
  function flushLog(beacon) {
    if (log.sending || !log.queue.length) { return; }
    var session = log.queue[0].session;
    var items = log.queue.filter(function (item) { return item.session === session; }).slice(0, 100);
    var body = { batch_id: session + "-" + items[0].event.seq, film_id: state.filmId,
                 events: items.map(function (item) { return item.event; }) };
    if (items[0].continues) { body.continues = items[0].continues; }
    var url = root.dataset.sessionUrl.replace(/sessions$/, encodeURIComponent(session) + "/events");
    var payload = JSON.stringify(body);
    var done = function () { log.queue = log.queue.filter(function (item) { return items.indexOf(item) === -1; }); };
    if (beacon && navigator.sendBeacon) {
      if (navigator.sendBeacon(url, new Blob([payload], { type: "application/json" }))) { done(); }
      return;
    }
    log.sending = true;
    fetch(url, { method: "POST", credentials: "omit", keepalive: true,
                 headers: { "Content-Type": "application/json" }, body: payload })
      .then(function (response) { if (response.ok || response.status === 400 || response.status === 404) { done(); } })
      .catch(function () { /* kept in the queue, sent again with the same numbers */ })
      .finally(function () { log.sending = false; });
  }
  video.addEventListener("timeupdate", function () {
    var now = video.currentTime;
    if (log.last !== null && !video.paused && !video.seeking && now > log.last && now - log.last < 2) {
      log.watched += (now - log.last) / (video.playbackRate || 1);  // wall-clock seconds, as the server checks
    }
    log.last = now;
  });
  video.addEventListener("playing", function () {
    logEvent(log.sessionId === (state.session && state.session.session_id) && log.seq ? "progress" : "start");
  });
  video.addEventListener("pause", function () { logEvent("pause"); flushLog(false); });
  video.addEventListener("seeked", function () { log.last = video.currentTime; logEvent("seek"); });
  video.addEventListener("ended", function () { logEvent("end"); flushLog(false); });
  setInterval(function () { if (!video.paused) { logEvent("progress"); } flushLog(false); }, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { logEvent("progress"); flushLog(true); }
  });
  window.cinedocViewingLog = log;
  // --- end of the viewing log ----------------------------------------------------------------------------------------

  applyCaptionStyle();
  updateTime();
})();
