/* cinedoc's embeddable player: hls.js behind our own control bar.
 *
 * The page carries a grant (from the portal's assertion, CAS or the on-site check). Pressing play opens a playback
 * session, which returns the master playlist's URL with a path token. When the token stops working (expired, key
 * rotated, 403), the player opens a fresh session with the same grant and resumes where it was. Nothing plays before
 * the patron asks: no autoplay, with or without sound. Texts come from the page (#player-strings), in its language.
 *
 * Captions are drawn by the page from the text track's active cues (the track stays "hidden"), so that the patron's
 * size, colours, background and position apply, and can be previewed, the same in every browser. The transcript and
 * the chapters are in the page already (rendered by the server); this script highlights and seeks. The French Sign
 * Language signer is a second video with its own hls.js, kept in step with the film by nudging its rate and, when it
 * is far off, by seeking it.
 */
(function () {
  "use strict";

  var root = document.getElementById("player");
  if (!root || typeof Hls === "undefined") { return; }
  var strings = JSON.parse(document.getElementById("player-strings").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var video = $("video"), stage = $("stage"), layout = $("main");
  var playButton = $("play"), seek = $("seek"), time = $("time"), muteButton = $("mute"), volume = $("volume");
  var captionsButton = $("captions"), adButton = $("audio-description"), signButton = $("sign-language");
  var settingsButton = $("settings"), settingsPanel = $("settings-panel"), settingsClose = $("settings-close");
  var fullscreenButton = $("fullscreen"), status = $("player-status"), refusalBox = $("player-refusal");
  var trackSelect = $("caption-track"), speedSelect = $("speed"), chapterSelect = $("chapter-select");
  var transcriptToggle = $("transcript-toggle"), transcriptSection = $("transcript-section");
  var transcriptList = $("transcript"), overlay = $("caption-overlay");
  var signWindow = $("sign-window"), signVideo = $("sign-video"), signResize = $("sign-resize");

  var state = {
    hls: null, signHls: null, session: null, grant: root.dataset.grant, filmId: Number(root.dataset.film),
    duration: Number(root.dataset.duration) || 0, sessions: 0, refreshes: 0, refreshing: null, opening: null,
    wantCaptions: false, wantAD: false, wantSign: false, captionChoice: -1, wantPlaying: false, refused: null,
    errors: [], signErrors: [], recentRefreshes: [], signSeeks: 0, chapter: -1, line: -1, captionsFailed: false,
  };
  window.cinedocPlayer = state;  // read by the browser tests, and handy when a library asks for support

  function say(text) {
    // A live region does not repeat a text it already shows: the same news twice gets a no-break space.
    status.textContent = status.textContent === text ? text + "\u00a0" : text;
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function setPressed(button, on) { button.setAttribute("aria-pressed", on ? "true" : "false"); }

  function showRefusal(message) {
    state.refused = message;
    refusalBox.textContent = message;
    refusalBox.hidden = false;
    playButton.disabled = true;
  }

  // --- preferences, kept in this browser; storage may be partitioned or refused in a third-party frame -----------
  function loadPrefs(key, defaults, valid) {
    var value = Object.assign({}, defaults);
    try { Object.assign(value, JSON.parse(localStorage.getItem(key) || "{}")); } catch (e) { /* refused: defaults */ }
    Object.keys(defaults).forEach(function (name) { if (!valid(name, value[name])) { value[name] = defaults[name]; } });
    return value;
  }

  function savePrefs(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* refused: kept for this page only */ }
  }

  // --- caption style and the captions drawn over the picture ------------------------------------------------------
  var captionFields = { size: $("caption-size"), colour: $("caption-colour"), background: $("caption-background"),
                        position: $("caption-position") };
  var classPrefix = { size: "caption-size-", colour: "caption-colour-", background: "caption-bg-",
                      position: "caption-position-" };
  function choices(name) {
    return Array.prototype.map.call(captionFields[name].options, function (option) { return option.value; });
  }
  var prefs = loadPrefs("cinedoc-captions", { size: "medium", colour: "authored", background: "black", position: "bottom" },
                        function (name, value) { return choices(name).indexOf(value) !== -1; });
  var regions = { top: overlay.querySelector(".caption-region-top"), bottom: overlay.querySelector(".caption-region-bottom") };
  var previewing = false;

  function applyCaptionStyle() {
    Object.keys(captionFields).forEach(function (name) {
      choices(name).forEach(function (value) {
        var on = prefs[name] === value;
        overlay.classList.toggle(classPrefix[name] + value, on);
        // The video keeps the classes too: a browser that shows the track itself (native full screen) styles ::cue.
        video.classList.toggle(classPrefix[name] + value, on);
      });
      captionFields[name].value = prefs[name];
    });
    renderCaptions();
  }

  function shownTrack() {
    if (!state.wantCaptions || !state.hls || state.hls.subtitleTrack < 0) { return null; }
    for (var i = 0; i < video.textTracks.length; i++) {
      var track = video.textTracks[i];
      if ((track.kind === "subtitles" || track.kind === "captions") && track.mode !== "disabled") { return track; }
    }
    return null;
  }

  function captionBox(content, extraClass) {
    var box = document.createElement("div");
    box.className = "caption-cue" + (extraClass ? " " + extraClass : "");
    var text = document.createElement("span");
    text.className = "caption-text";
    text.appendChild(content);
    box.appendChild(text);
    return box;
  }

  function cueContent(cue) {
    // getCueAsHTML turns <c.yellow> into <span class="yellow">: the SME colour classes the style sheet knows.
    if (typeof cue.getCueAsHTML === "function") { return cue.getCueAsHTML(); }
    return document.createTextNode(String(cue.text || "").replace(/<[^>]*>/g, ""));
  }

  function renderCaptions() {
    regions.top.textContent = "";
    regions.bottom.textContent = "";
    var track = shownTrack();
    var cues = track && track.activeCues ? Array.prototype.slice.call(track.activeCues) : [];
    cues.forEach(function (cue) {
      // A cue authored at the top (line:0, an SME habit when the bottom of the picture carries text) stays there.
      var top = prefs.position === "top" || cue.line === 0;
      (top ? regions.top : regions.bottom).appendChild(captionBox(cueContent(cue)));
    });
    if (!cues.length && previewing) {
      var sample = document.createDocumentFragment();
      sample.appendChild(document.createTextNode(strings.preview + " "));
      var offScreen = document.createElement("span");
      offScreen.className = "yellow";
      offScreen.textContent = strings.preview_offscreen;
      sample.appendChild(offScreen);
      (prefs.position === "top" ? regions.top : regions.bottom).appendChild(captionBox(sample, "caption-preview"));
    }
  }

  function watchTrack(track) { track.addEventListener("cuechange", renderCaptions); }
  Array.prototype.forEach.call(video.textTracks, watchTrack);
  video.textTracks.addEventListener("addtrack", function (event) { watchTrack(event.track); renderCaptions(); });
  video.textTracks.addEventListener("change", renderCaptions);

  Object.keys(captionFields).forEach(function (name) {
    captionFields[name].addEventListener("change", function () {
      prefs[name] = captionFields[name].value;
      savePrefs("cinedoc-captions", prefs);
      applyCaptionStyle();
    });
  });

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

  function hlsConfig(session, startPosition) {
    // At most 20 s ahead, whatever the bitrate: a patron who stops early has not downloaded the film.
    var config = { startPosition: startPosition, maxBufferLength: 12, maxMaxBufferLength: 20, backBufferLength: 30,
                   enableWorker: true };
    if (session.cdn_query) {
      config.xhrSetup = function (xhr, url) { xhr.open("GET", withSignature(url), true); };
    }
    return config;
  }

  function createPlayer(session, startPosition) {
    if (state.hls) { state.hls.destroy(); }
    var config = hlsConfig(session, startPosition);
    // The track is loaded but left hidden: renderCaptions draws its cues.
    config.subtitleDisplay = false;
    config.renderTextTracksNatively = true;
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
    // A new source resets the element's rate to its default rate, which follows the patron's choice.
    video.playbackRate = video.defaultPlaybackRate;
    if (state.wantSign) { createSign(session, startPosition); }
  }

  function start(position) {
    say(strings.loading);
    state.wantPlaying = true;
    return openSession().then(function (session) {
      createPlayer(session, position >= 0 ? position : -1);
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

  function expired(code) { return code === 403 || code === 401 || code === 410; }

  function concernsCaptions(data) {
    return data.details === Hls.ErrorDetails.SUBTITLE_LOAD_ERROR ||
      data.details === Hls.ErrorDetails.SUBTITLE_TRACK_LOAD_TIMEOUT ||
      !!(data.frag && data.frag.type === "subtitle") || !!(data.context && data.context.type === "subtitleTrack");
  }

  function onError(_event, data) {
    var code = data.response && data.response.code;
    state.errors.push((data.details || "") + ":" + (code || "") + (data.fatal ? ":fatal" : ""));
    // The gateway answers a missing file with the same 403 as an expired token: a caption file it cannot give
    // must not start a round of new sessions (an expired token shows on the film's own segments soon enough).
    if (concernsCaptions(data)) {
      state.captionsFailed = true;
      if (state.wantCaptions) { toggleCaptions(); }  // the track is let go; the patron may try again
      say(strings.captions_error);
      if (data.fatal) { state.hls.startLoad(video.currentTime); }
      return;
    }
    if (expired(code)) { refresh(); return; }
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
      hls.subtitleDisplay = false;
      var wanted = state.wantCaptions ? Math.max(0, state.captionChoice) : -1;
      if (hls.subtitleTrack !== wanted) { hls.subtitleTrack = wanted; }
    }
    if (hls.audioTracks.length > 1) {
      var ad = hls.audioTracks.findIndex(describesVideo);
      var main = hls.audioTracks.findIndex(function (t) { return !describesVideo(t); });
      var target = state.wantAD && ad >= 0 ? ad : Math.max(0, main);
      if (hls.audioTrack !== target) { hls.audioTrack = target; }
    }
    renderCaptions();
  }

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
  function playQuietly(media) {
    var attempt = media.play();
    if (attempt && attempt.catch) { attempt.catch(function () { /* the patron presses play again */ }); }
  }

  function play() { playQuietly(video); }

  function togglePlay() {
    if (state.refused) { return; }
    if (!state.session && !state.opening) { start(-1); return; }
    if (video.paused) { state.wantPlaying = true; play(); } else { state.wantPlaying = false; video.pause(); }
  }

  function filmEnd() { return video.duration && isFinite(video.duration) ? video.duration : state.duration; }

  function seekTo(seconds) {
    // Before the film is loaded, choosing a moment (a transcript line, a chapter) plays it from there.
    if (state.refused) { return; }
    seconds = Math.max(0, Math.min(Math.max(0, filmEnd() - 0.5), seconds));
    if (!state.hls) {
      if (!state.opening && !state.session) { start(seconds); }
      return;
    }
    video.currentTime = seconds;
  }

  function seekBy(seconds) {
    if (!state.hls) { return; }
    seekTo(video.currentTime + seconds);
  }

  function toggleMute() {
    video.muted = !video.muted;
    setPressed(muteButton, video.muted);
    say(video.muted ? strings.muted : strings.unmuted);
  }

  function toggleFullscreen() {
    // The whole layout goes full screen, so that the transcript and chapters stay beside the picture.
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    if (layout.requestFullscreen) { layout.requestFullscreen().catch(function () { /* refused by the frame */ }); }
  }

  function updateTime() {
    var total = filmEnd();
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
  document.addEventListener("fullscreenchange", function () {
    setPressed(fullscreenButton, !!document.fullscreenElement);
  });
  seek.addEventListener("input", function () { if (state.hls) { video.currentTime = Number(seek.value); } });
  volume.addEventListener("input", function () { video.volume = Number(volume.value); });
  trackSelect.addEventListener("change", function () {
    if (trackSelect.value === "") { return; }
    state.captionChoice = Number(trackSelect.value);
    if (!state.wantCaptions) { toggleCaptions(); } else { applyTracks(); }
  });

  // --- the caption settings: an overlay over the picture, opened and closed by its button and Escape ---------------
  function openSettings() {
    settingsPanel.hidden = false;
    stage.classList.add("settings-open");
    settingsButton.setAttribute("aria-expanded", "true");
    previewing = true;
    renderCaptions();
    trackSelect.focus({ preventScroll: true });
  }

  function closeSettings() {
    if (settingsPanel.hidden) { return; }
    var hadFocus = settingsPanel.contains(document.activeElement);
    settingsPanel.hidden = true;
    stage.classList.remove("settings-open");
    settingsButton.setAttribute("aria-expanded", "false");
    previewing = false;
    renderCaptions();
    if (hadFocus || document.activeElement === document.body) { settingsButton.focus({ preventScroll: true }); }
  }

  settingsButton.addEventListener("click", function () {
    if (settingsPanel.hidden) { openSettings(); } else { closeSettings(); }
  });
  settingsClose.addEventListener("click", closeSettings);

  // --- playback speed --------------------------------------------------------------------------------------------
  function setSpeed(value) {
    var rate = Number(value);
    if (!(rate > 0)) { return; }
    video.defaultPlaybackRate = rate;
    video.playbackRate = rate;
    speedSelect.value = String(rate);
    var option = speedSelect.options[speedSelect.selectedIndex];
    say(strings.speed.replace("{speed}", option ? option.textContent : String(rate)));
    syncSign();
  }

  function stepSpeed(step) {
    var index = Math.max(0, Math.min(speedSelect.options.length - 1, speedSelect.selectedIndex + step));
    setSpeed(speedSelect.options[index].value);
  }

  speedSelect.addEventListener("change", function () { setSpeed(speedSelect.value); });

  // --- chapters: the select in the bar and the list beside, both from the server's chapters.vtt -------------------
  var chapterButtons = Array.prototype.slice.call(document.querySelectorAll("#chapter-list .chapter"));
  var chapterStarts = chapterButtons.map(function (button) { return Number(button.dataset.start); });

  function chapterAt(seconds) {
    var index = -1;
    chapterStarts.forEach(function (startsAt, i) { if (startsAt <= seconds + 0.25) { index = i; } });
    return index;
  }

  function showChapter() {
    if (!chapterStarts.length) { return; }
    var index = Math.max(0, chapterAt(video.currentTime));
    if (index === state.chapter) { return; }
    state.chapter = index;
    if (chapterSelect && document.activeElement !== chapterSelect) { chapterSelect.selectedIndex = index; }
    chapterButtons.forEach(function (button, i) {
      if (i === index) { button.setAttribute("aria-current", "true"); } else { button.removeAttribute("aria-current"); }
    });
  }

  function goToChapter(index) {
    if (index < 0 || index >= chapterStarts.length) { return; }
    state.chapter = -1;
    seekTo(chapterStarts[index]);
    if (chapterSelect) { chapterSelect.selectedIndex = index; }
    say(strings.chapter.replace("{title}", chapterButtons[index].textContent.replace(/^\s*[\d:]+\s*/, "").trim()));
  }

  if (chapterSelect) {
    chapterSelect.addEventListener("change", function () { goToChapter(chapterSelect.selectedIndex); });
  }
  chapterButtons.forEach(function (button, index) {
    button.addEventListener("click", function () { goToChapter(index); });
  });
  video.addEventListener("timeupdate", showChapter);
  video.addEventListener("seeked", showChapter);

  // --- the transcript: the server's lines, highlighted as the film plays; a line seeks; a search box filters ------
  var lines = transcriptList ? Array.prototype.slice.call(transcriptList.querySelectorAll(".cue")) : [];
  var lineStarts = lines.map(function (button) { return Number(button.dataset.start); });
  var transcriptPrefs = loadPrefs("cinedoc-transcript", { shown: true },
                                  function (_name, value) { return typeof value === "boolean"; });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }
  var lineTexts = lines.map(function (button) { return fold(button.querySelector(".cue-text").textContent); });

  function visibleLines() { return lines.filter(function (button) { return !button.parentNode.hidden; }); }

  function takeTabStop(button) {
    // One tab stop for the whole transcript (roving tabindex): Tab passes it, arrows move inside.
    lines.forEach(function (other) { other.tabIndex = other === button ? 0 : -1; });
  }

  function scrollLineIntoView(button) {
    // Only the transcript's own box scrolls: scrollIntoView could scroll the portal's page around the frame.
    var top = button.offsetTop, bottom = top + button.offsetHeight;
    if (top < transcriptList.scrollTop) { transcriptList.scrollTop = Math.max(0, top - 8); }
    else if (bottom > transcriptList.scrollTop + transcriptList.clientHeight) {
      transcriptList.scrollTop = bottom - transcriptList.clientHeight + 8;
    }
  }

  function lineAt(seconds) {
    // The line being said, or in a silence the last one said: the reader keeps their place between lines.
    var found = -1;
    for (var i = 0; i < lineStarts.length && lineStarts[i] <= seconds + 0.05; i++) { found = i; }
    return found;
  }

  function highlightLine() {
    if (!lines.length) { return; }
    var index = lineAt(video.currentTime);
    if (index === state.line) { return; }
    if (state.line >= 0) { lines[state.line].classList.remove("current"); lines[state.line].removeAttribute("aria-current"); }
    state.line = index;
    if (index < 0) { return; }
    var button = lines[index];
    button.classList.add("current");
    button.setAttribute("aria-current", "true");
    // The patron reading or searching elsewhere in the transcript is not pulled back to the film's line.
    if (!transcriptList.contains(document.activeElement) && !(search && search.value.trim())) {
      scrollLineIntoView(button);
      takeTabStop(button);
    }
  }

  if (transcriptList && lines.length) {
    takeTabStop(lines[0]);
    transcriptList.addEventListener("click", function (event) {
      var button = event.target.closest(".cue");
      if (!button) { return; }
      takeTabStop(button);
      seekTo(Number(button.dataset.start));
    });
    transcriptList.addEventListener("keydown", function (event) {
      var shown = visibleLines();
      var at = shown.indexOf(event.target);
      if (at < 0) { return; }
      var next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: shown.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      var target = shown[Math.max(0, Math.min(shown.length - 1, next))];
      takeTabStop(target);
      target.focus({ preventScroll: true });
      scrollLineIntoView(target);
    });
    video.addEventListener("timeupdate", highlightLine);
    video.addEventListener("seeked", highlightLine);
  }

  var searchBox = $("transcript-search-box"), search = $("transcript-search"), found = $("transcript-found");
  if (search) {
    searchBox.hidden = false;  // the search needs this script; without it the lines are all there to read
    search.addEventListener("input", function () {
      var words = fold(search.value.trim());
      var count = 0;
      lines.forEach(function (button, i) {
        var match = !words || lineTexts[i].indexOf(words) !== -1;
        button.parentNode.hidden = !match;
        if (match && words) { count += 1; }
      });
      found.textContent = !words ? "" : count === 0 ? strings.found_none : count === 1 ? strings.found_one
        : strings.found_many.replace("{n}", String(count));
      var shown = visibleLines();
      if (shown.length && shown.indexOf(lines.find(function (b) { return b.tabIndex === 0; })) === -1) {
        takeTabStop(shown[0]);
      }
    });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var shown = visibleLines();
      if (shown.length) { takeTabStop(shown[0]); shown[0].focus({ preventScroll: true }); scrollLineIntoView(shown[0]); }
    });
  }

  function showTranscript(shown, announce) {
    transcriptSection.hidden = !shown;
    transcriptToggle.setAttribute("aria-expanded", shown ? "true" : "false");
    if (announce) {
      transcriptPrefs.shown = shown;
      savePrefs("cinedoc-transcript", transcriptPrefs);
      say(shown ? strings.transcript_shown : strings.transcript_hidden);
    }
  }

  function toggleTranscript() {
    if (transcriptSection.contains(document.activeElement)) { transcriptToggle.focus({ preventScroll: true }); }
    showTranscript(transcriptSection.hidden, true);
  }

  transcriptToggle.addEventListener("click", toggleTranscript);
  showTranscript(transcriptPrefs.shown, false);

  // --- the French Sign Language window: a second video in step with the film, movable and resizable ---------------
  var signPrefs = loadPrefs("cinedoc-sign", { x: 1, y: 1, w: 0.3 }, function (name, value) {
    return typeof value === "number" && isFinite(value) && (name === "w" ? value >= 0.15 && value <= 0.6
                                                                            : value >= 0 && value <= 1);
  });
  var signRatio = 4 / 3, lastSignSeek = 0, signTimer = null, signNews = null;
  var MIN_SIGN = 0.15, MAX_SIGN = 0.6;

  function signUrl(session) {
    // Next to the master playlist, not listed in it; the CDN's signature (a query string) is kept, as for segments.
    return withSignature(new URL("sign/index.m3u8", session.playlist_url).href);
  }

  function createSign(session, position) {
    if (!signVideo) { return; }
    if (state.signHls) { state.signHls.destroy(); }
    var hls = new Hls(hlsConfig(session, position >= 0 ? position : (video.currentTime || 0)));
    state.signHls = hls;
    hls.on(Hls.Events.ERROR, function (_event, data) {
      var code = data.response && data.response.code;
      state.signErrors.push((data.details || "") + ":" + (code || "") + (data.fatal ? ":fatal" : ""));
      if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); return; }
      if (!data.fatal && !expired(code)) { return; }
      // A 403 is an expired token or a missing file: the film's own segments tell which, and a new session for
      // the film brings the signer back (createPlayer). Here, only a signer of an older session is retried.
      if (state.session && state.session !== session && !state.refreshing) {
        createSign(state.session, video.currentTime);
        return;
      }
      if (state.signHls === hls) { hls.destroy(); state.signHls = null; }
      if (!state.refreshing) { say(strings.sign_error); }
    });
    hls.loadSource(signUrl(session));
    hls.attachMedia(signVideo);
  }

  function stopSign() {
    if (state.signHls) { state.signHls.destroy(); state.signHls = null; }
    if (signTimer) { clearInterval(signTimer); signTimer = null; }
  }

  function syncSign() {
    // Small gaps are closed by playing the signer a little faster or slower (no visible jump); a gap of half a
    // second or more (a seek, a stall) by seeking it, at most once a second so that it can settle.
    if (!state.wantSign || !state.signHls || signVideo.readyState < 1) { return; }
    var rate = video.playbackRate || 1;
    var gap = signVideo.currentTime - video.currentTime;
    state.signGap = gap;
    if (video.paused || video.ended || video.seeking || video.readyState < 3) {
      if (!signVideo.paused) { signVideo.pause(); }
      if (Math.abs(gap) > 0.04 && !signVideo.seeking && !video.seeking) { signVideo.currentTime = video.currentTime; }
      return;
    }
    if (Math.abs(gap) >= 0.5) {
      var now = Date.now();
      if (!signVideo.seeking && now - lastSignSeek > 1000) {
        lastSignSeek = now;
        state.signSeeks += 1;
        signVideo.currentTime = video.currentTime;
      }
    }
    var wanted = Math.abs(gap) > 0.02 ? rate * (1 - Math.max(-0.3, Math.min(0.3, gap))) : rate;
    if (Math.abs(signVideo.playbackRate - wanted) > 0.001) { signVideo.playbackRate = wanted; }
    if (signVideo.paused && !signVideo.seeking) { playQuietly(signVideo); }
  }

  function placeSign() {
    if (!signWindow || signWindow.hidden) { return; }
    var width = stage.clientWidth, height = stage.clientHeight;
    var w = Math.min(signPrefs.w * width, height * 0.95 * signRatio, width);
    var h = w / signRatio;
    signWindow.style.width = w + "px";
    signWindow.style.height = h + "px";
    signWindow.style.left = Math.round(signPrefs.x * Math.max(0, width - w)) + "px";
    signWindow.style.top = Math.round(signPrefs.y * Math.max(0, height - h)) + "px";
  }

  function signBox() {
    return { width: stage.clientWidth, height: stage.clientHeight, w: signWindow.offsetWidth, h: signWindow.offsetHeight,
             left: signWindow.offsetLeft, top: signWindow.offsetTop };
  }

  function moveSignTo(left, top) {
    var box = signBox();
    var freeX = Math.max(0, box.width - box.w), freeY = Math.max(0, box.height - box.h);
    signPrefs.x = freeX ? Math.max(0, Math.min(1, left / freeX)) : 0;
    signPrefs.y = freeY ? Math.max(0, Math.min(1, top / freeY)) : 0;
    placeSign();
  }

  function resizeSign(fraction) {
    // The window cannot grow past the stage's height: the fraction kept is the width it really has.
    var box = signBox();
    var cap = Math.min(MAX_SIGN, box.height * 0.95 * signRatio / Math.max(1, box.width));
    signPrefs.w = Math.max(MIN_SIGN, Math.min(Math.max(MIN_SIGN, cap), fraction));
    placeSign();
  }

  function announceSign(text) {
    // One announcement for a run of key presses, once the window has settled.
    clearTimeout(signNews);
    signNews = setTimeout(function () { say(text); }, 500);
    savePrefs("cinedoc-sign", signPrefs);
  }

  function toggleSign() {
    if (!signWindow || signButton.disabled) { return; }
    state.wantSign = !state.wantSign;
    setPressed(signButton, state.wantSign);
    if (!state.wantSign && signWindow.contains(document.activeElement)) { signButton.focus({ preventScroll: true }); }
    signWindow.hidden = !state.wantSign;
    if (state.wantSign) {
      placeSign();
      if (state.session) { createSign(state.session, video.currentTime); }
      signTimer = signTimer || setInterval(syncSign, 100);
    } else {
      stopSign();
    }
    say(state.wantSign ? strings.sign_on : strings.sign_off);
  }

  if (signWindow) {
    signButton.addEventListener("click", toggleSign);
    signVideo.addEventListener("loadedmetadata", function () {
      if (signVideo.videoWidth && signVideo.videoHeight) { signRatio = signVideo.videoWidth / signVideo.videoHeight; }
      placeSign();
      syncSign();
    });
    video.addEventListener("seeking", function () {
      if (state.signHls && signVideo.readyState >= 1) { signVideo.currentTime = video.currentTime; }
    });
    ["play", "pause", "seeked", "ratechange", "playing"].forEach(function (name) { video.addEventListener(name, syncSign); });
    if (window.ResizeObserver) { new ResizeObserver(placeSign).observe(stage); }

    var drag = null;
    signWindow.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      var resizing = signResize.contains(event.target);
      var box = signBox();
      drag = { resizing: resizing, x: event.clientX, y: event.clientY, left: box.left, top: box.top, w: box.w,
               width: box.width };
      signWindow.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    signWindow.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (drag.resizing) { resizeSign((drag.w + Math.max(dx, dy * signRatio)) / Math.max(1, drag.width)); }
      else { moveSignTo(drag.left + dx, drag.top + dy); }
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      signWindow.addEventListener(name, function () {
        if (!drag) { return; }
        drag = null;
        savePrefs("cinedoc-sign", signPrefs);
      });
    });
    signWindow.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var onHandle = event.target === signResize;
      if (event.target !== signWindow && !onHandle) { return; }
      var key = event.key, box = signBox(), step = event.shiftKey ? 40 : 10;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (onHandle && moves[key]) {
        resizeSign(signPrefs.w + (key === "ArrowRight" || key === "ArrowUp" ? 0.03 : -0.03));
        announceSign(strings.sign_resized);
      } else if (moves[key]) {
        moveSignTo(box.left + moves[key][0], box.top + moves[key][1]);
        announceSign(strings.sign_moved);
      } else if (key === "+" || key === "=" || key === "-") {
        resizeSign(signPrefs.w + (key === "-" ? -0.03 : 0.03));
        announceSign(strings.sign_resized);
      } else { return; }
      event.preventDefault();
      event.stopPropagation();
    });
  }

  // --- shortcuts anywhere in the player, except where the key already means something (typing, a focused button's
  // Space/Enter, arrows and letters on a slider or a select) -------------------------------------------------------
  root.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = event.target.tagName;
    var onControl = tag === "BUTTON" || tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA";
    var key = event.key;
    if (key === "Escape") {
      if (!settingsPanel.hidden) { closeSettings(); settingsButton.focus({ preventScroll: true }); event.preventDefault(); }
      return;
    }
    if ((key === " " || key === "Enter") && onControl) { return; }
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      if (/^(Arrow|Page|Home|End)/.test(key) || key.length === 1 && tag !== "INPUT") { return; }
      if (tag === "INPUT" && event.target.type !== "range") { return; }
    }
    var handled = true;
    if (key === " " || key === "k" || key === "K") { togglePlay(); }
    else if (key === "ArrowLeft") { seekBy(-5); }
    else if (key === "ArrowRight") { seekBy(5); }
    else if (key === "c" || key === "C") { toggleCaptions(); }
    else if (key === "d" || key === "D") { toggleAD(); }
    else if (key === "l" || key === "L") { toggleSign(); }
    else if (key === "t" || key === "T") { toggleTranscript(); }
    else if (key === "<") { stepSpeed(-1); }
    else if (key === ">") { stepSpeed(1); }
    else if (key === "PageUp" && chapterStarts.length) { goToChapter(Math.max(0, chapterAt(video.currentTime - 2))); }
    else if (key === "PageDown" && chapterStarts.length) { goToChapter(chapterAt(video.currentTime) + 1); }
    else if (key === "m" || key === "M") { toggleMute(); }
    else if (key === "f" || key === "F") { toggleFullscreen(); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });


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
