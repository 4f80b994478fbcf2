// Passkeys as the second factor: add one on the set-up page, use one on the
// code page. The server's JSON steps are django-otp-webauthn's (through
// skranke/sign_in/passkey_views.py); this file turns their base64url
// options into what the browser's WebAuthn API wants and back.
//
// A file rather than the library's own script: the Content-Security-Policy
// allows no inline script, and every text here comes from the page (its
// data-text-* attributes), translated like the rest of the page.
// Without JavaScript or WebAuthn the section stays hidden: the app's code
// works as before.
(() => {
  "use strict";

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  };

  const toText = (buffer) => {
    let binary = "";
    new Uint8Array(buffer).forEach((byte) => {
      binary += String.fromCharCode(byte);
    });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  const descriptors = (list) =>
    (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

  function creationOptions(options) {
    return {
      publicKey: {
        ...options,
        challenge: toBytes(options.challenge),
        user: { ...options.user, id: toBytes(options.user.id) },
        excludeCredentials: descriptors(options.excludeCredentials),
      },
    };
  }

  function requestOptions(options) {
    return {
      publicKey: {
        ...options,
        challenge: toBytes(options.challenge),
        allowCredentials: descriptors(options.allowCredentials),
      },
    };
  }

  function createdCredential(credential) {
    const response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        attestationObject: toText(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : [],
      },
    };
  }

  function usedCredential(credential) {
    const response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : undefined,
      },
    };
  }

  async function post(url, token, body) {
    const answer = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": token,
      },
      body: body === undefined ? "" : JSON.stringify(body),
    });
    if (!answer.ok) {
      throw new Error(`server: ${answer.status}`);
    }
    return answer.json();
  }

  function setUp(section) {
    const button = section.querySelector("[data-passkey-start]");
    const status = section.querySelector("[data-passkey-status]");
    const form = section.querySelector("form");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const next = form.querySelector("input[name=next]");
    const adding = section.dataset.passkey === "register";

    const say = (key, failed) => {
      status.textContent = section.dataset[key] || "";
      status.classList.toggle("form-error-message", Boolean(failed));
    };

    button.addEventListener("click", async () => {
      button.disabled = true;
      say("textWaiting", false);
      try {
        if (adding) {
          const options = await post(section.dataset.beginUrl, token);
          const credential = await navigator.credentials.create(creationOptions(options));
          say("textChecking", false);
          await post(section.dataset.completeUrl, token, createdCredential(credential));
          say("textDone", false);
          // On to the recovery codes (a normal page, so the back button and
          // a screen reader behave as after any form).
          form.submit();
          return;
        }
        const options = await post(section.dataset.beginUrl, token);
        const credential = await navigator.credentials.get(requestOptions(options));
        say("textChecking", false);
        const url = new URL(section.dataset.completeUrl, window.location.origin);
        if (next && next.value) {
          url.searchParams.set("next", next.value);
        }
        const result = await post(url.toString(), token, usedCredential(credential));
        say("textDone", false);
        window.location.assign(result.redirect_url);
      } catch (error) {
        const cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
        const known = error && error.name === "InvalidStateError";
        say(cancelled ? "textCancelled" : known ? "textKnown" : "textFailed", true);
        button.disabled = false;
        button.focus();
      }
    });
    section.hidden = false;
  }

  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  document.querySelectorAll("[data-passkey]").forEach(setUp);
})();
