// Presentation videos (public, no token): hls.js where the browser has Media Source Extensions, else its own HLS.
// The browser's controls are kept (keyboard and screen readers know them); nothing is fetched before play is pressed
// but the small master playlist.
(function () {
  "use strict";
  var players = [];
  window.cinedocPresentations = players;
  document.querySelectorAll("video[data-hls]").forEach(function (video) {
    var url = video.getAttribute("data-hls");
    var holder = video.closest("figure") || video.parentNode;
    var errorBox = holder.querySelector("[data-presentation-error]");
    var entry = { video: video, hls: null, errors: [] };
    players.push(entry);
    function failed(reason) {
      entry.errors.push(reason);
      if (errorBox) { errorBox.hidden = false; }
    }
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ autoStartLoad: false, capLevelToPlayerSize: true });
      entry.hls = hls;
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (data.fatal) { failed(data.details); }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      var started = false;
      video.addEventListener("play", function () {
        if (!started) { started = true; hls.startLoad(); }
      });
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
      video.addEventListener("error", function () { failed("native"); });
    } else {
      failed("unsupported");
    }
  });
})();
