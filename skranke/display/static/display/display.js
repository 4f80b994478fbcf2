// The waiting-room display. It asks the server every second whether the
// board changed (If-None-Match: an empty 304 when not), redraws when it
// did, and keeps trying through server restarts and network drops without
// anyone touching it. The chime plays only after someone has turned the
// sound on with the button: browsers allow sound after a user's gesture.
(function () {
  var board = document.getElementById("board");
  if (!board) { return; }
  var url = board.dataset.statusUrl;
  var poll = parseInt(board.dataset.poll, 10) || 1000;
  var calls = document.getElementById("calls");
  var waiting = document.getElementById("waiting");
  var expected = document.getElementById("expected-wait");
  var factsOpen = document.getElementById("facts-open");
  var factsClosed = document.getElementById("facts-closed");
  var closedDa = document.getElementById("closed-da");
  var closedEn = document.getElementById("closed-en");
  // A <template>'s words are in its content, not its own text.
  var shortWait = document.getElementById("short-wait-text").content.textContent;
  var connection = document.getElementById("connection");
  var offline = document.getElementById("offline-text");
  var chimeButton = document.getElementById("chime");
  var etag = null;
  var newest = null; // the newest call drawn; null until the first answer
  var audio = null;

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function draw(state) {
    var rows = document.createDocumentFragment();
    state.called.forEach(function (call, index) {
      var tr = document.createElement("tr");
      if (index === 0) { tr.className = "newest"; }
      tr.appendChild(cell(call.ticket));
      tr.appendChild(cell(call.desk));
      tr.dataset.calledAt = call.called_at;
      rows.appendChild(tr);
    });
    var key = state.called.length ? state.called[0].ticket + state.called[0].desk + state.called[0].called_at : "";
    calls.replaceChildren(rows);
    waiting.textContent = state.waiting;
    if (state.expected_wait_minutes === null) {
      expected.textContent = "–";
    } else {
      expected.textContent = state.short_wait ? shortWait : state.expected_wait_minutes + " min.";
    }
    factsOpen.hidden = !state.open_now;
    factsClosed.hidden = state.open_now;
    closedDa.textContent = state.closed_text ? state.closed_text.da : "";
    closedEn.textContent = state.closed_text ? state.closed_text.en : "";
    if (key && newest !== null && key !== newest) { chime(); }
    newest = key;
    fit();
  }

  // As many calls as fit on the screen, in either orientation: the oldest
  // go first, and the newest and the facts below are never cut.
  function fit() {
    var page = document.documentElement;
    while (calls.rows.length > 1 && page.scrollHeight > window.innerHeight) {
      calls.deleteRow(calls.rows.length - 1);
    }
  }

  function chime() {
    if (!audio) { return; }
    [660, 880].forEach(function (pitch, index) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      var at = audio.currentTime + index * 0.35;
      tone.frequency.value = pitch;
      gain.gain.setValueAtTime(0.3, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.3);
      tone.connect(gain).connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.3);
    });
  }

  chimeButton.addEventListener("click", function () {
    if (audio) {
      audio.close();
      audio = null;
    } else {
      audio = new (window.AudioContext || window.webkitAudioContext)();
      chime();
    }
    chimeButton.setAttribute("aria-pressed", audio ? "true" : "false");
  });

  function next(delay) {
    setTimeout(check, delay);
  }

  function check() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) {
          // Signed out (the token was revoked): the page shows the sign-in.
          setTimeout(function () { window.location.reload(); }, 10000);
          return null;
        }
        if (response.status === 304) {
          connection.textContent = "";
          next(poll);
          return null;
        }
        if (!response.ok) { throw new Error(response.status); }
        etag = response.headers.get("ETag");
        return response.json().then(function (state) {
          draw(state);
          connection.textContent = "";
          next(poll);
        });
      })
      .catch(function () {
        connection.replaceChildren(offline.content.cloneNode(true));
        connection.classList.add("display-offline");
        etag = null;
        next(2 * poll);
      });
  }
  // The first answer the page had was drawn by the server; the version
  // is not known yet, so the first check fetches the whole board.
  fit();
  window.addEventListener("resize", function () { etag = null; });
  next(poll);
})();
