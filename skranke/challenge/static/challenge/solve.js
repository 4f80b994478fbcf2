// The proof of work against hoarding (skranke/challenge): find the number n
// for which SHA-256(salt + n) is the page's challenge, and put the answer in
// the form. It starts when the page opens, so it is usually done before the
// citizen presses the button; if they press sooner, the form goes when it
// is done. Progress is said in the status line (role="status"), for screen
// readers too. Without JavaScript or Web Crypto, the page's words to wait
// and press the button again stand, and the wait token does the work.
(() => {
  const box = document.querySelector("[data-challenge]");
  const subtle = window.crypto && window.crypto.subtle;
  if (!box || !subtle || !window.TextEncoder) {
    return;
  }
  const form = box.closest("form");
  const answer = form && form.querySelector("input[name=challenge_solution]");
  const status = box.querySelector(".challenge-status");
  const wait = box.querySelector(".challenge-wait");
  if (!answer || !status) {
    return;
  }
  const data = box.dataset;
  const maxnumber = Number(data.maxnumber);
  // Hashes at once: the browser's own threads do the work, and the page
  // stays responsive between batches.
  const BATCH = 500;

  const target = new Uint8Array(data.hash.match(/../g).map((pair) => parseInt(pair, 16)));
  const encoder = new TextEncoder();

  function same(digest) {
    const bytes = new Uint8Array(digest);
    for (let i = 0; i < bytes.length; i += 1) {
      if (bytes[i] !== target[i]) {
        return false;
      }
    }
    return true;
  }

  async function findNumber() {
    for (let start = 0; start <= maxnumber; start += BATCH) {
      const numbers = [];
      for (let n = start; n < start + BATCH && n <= maxnumber; n += 1) {
        numbers.push(n);
      }
      const digests = await Promise.all(
        numbers.map((n) => subtle.digest("SHA-256", encoder.encode(data.salt + n))),
      );
      const found = digests.findIndex(same);
      if (found >= 0) {
        return numbers[found];
      }
    }
    return null;
  }

  let solved = false;
  let submitWhenSolved = false;
  form.addEventListener("submit", (event) => {
    if (!solved && answer.value === "" && status.dataset.failed !== "yes") {
      event.preventDefault();
      submitWhenSolved = true;
    }
  });

  if (wait) {
    wait.hidden = true;
  }
  status.textContent = status.dataset.working;
  findNumber()
    .then((number) => {
      if (number === null) {
        throw new Error("no number");
      }
      answer.value = btoa(
        JSON.stringify({
          algorithm: data.algorithm,
          challenge: data.hash,
          salt: data.salt,
          maxnumber,
          signature: data.signature,
          expires: Number(data.expires),
          number,
        }),
      );
      solved = true;
      status.textContent = status.dataset.done;
      if (submitWhenSolved) {
        form.submit();
      }
    })
    .catch(() => {
      // The wait token is still in the form: say what to do without us.
      status.dataset.failed = "yes";
      status.textContent = "";
      if (wait) {
        wait.hidden = false;
      }
      if (submitWhenSolved) {
        form.submit();
      }
    });
})();
