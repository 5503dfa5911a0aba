/*
 * Passkeys (WebAuthn) for NRM: adding one on the passkeys page, using one for the second step
 * of the login. No inline script (the Content-Security-Policy forbids it): the endpoints, the
 * CSRF token and the words to show come from data- attributes the server rendered, translated.
 * The server's JSON endpoints (accounts/views.py) check everything; this only carries the
 * browser's answer to them.
 */
(function () {
  "use strict";

  function supported() {
    return Boolean(window.PublicKeyCredential && navigator.credentials);
  }

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var padded = base64 + "===".slice((base64.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(descriptors) {
    return (descriptors || []).map(function (descriptor) {
      return Object.assign({}, descriptor, { id: toBytes(descriptor.id) });
    });
  }

  function creationOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      user: Object.assign({}, options.user, { id: toBytes(options.user.id) }),
      excludeCredentials: withIds(options.excludeCredentials),
    });
  }

  function requestOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      allowCredentials: withIds(options.allowCredentials),
    });
  }

  function common(credential) {
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  function attestationJSON(credential) {
    var response = credential.response;
    return Object.assign(common(credential), {
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : [],
      },
    });
  }

  function assertionJSON(credential) {
    var response = credential.response;
    return Object.assign(common(credential), {
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : undefined,
      },
    });
  }

  function ServerRefusal(detail) {
    this.name = "ServerRefusal";
    this.detail = detail;
  }

  function post(url, csrfToken, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      var data = type.indexOf("application/json") === -1 ? Promise.resolve({}) : response.json();
      return data.then(function (json) {
        if (!response.ok) {
          throw new ServerRefusal(json.detail);
        }
        return json;
      });
    });
  }

  // One widget: a container with data-begin-url, data-complete-url, data-csrf-token and the
  // data-msg-* words, a [data-passkey-button] and a [data-passkey-status] line.
  function ceremony(root, begin, askBrowser, answer) {
    var button = root.querySelector("[data-passkey-button]");
    var status = root.querySelector("[data-passkey-status]");
    var data = root.dataset;

    function say(text, isError) {
      status.textContent = text || "";
      status.classList.toggle("error", Boolean(isError));
    }

    function run(event) {
      if (event) {
        event.preventDefault();
      }
      button.disabled = true;
      say(data.msgBusy, false);
      post(data.beginUrl, data.csrfToken, begin())
        .then(askBrowser)
        .then(function (credential) {
          return post(data.completeUrl, data.csrfToken, answer(credential));
        })
        .then(function (result) {
          window.location.assign(result.redirect_url);
        })
        .catch(function (error) {
          button.disabled = false;
          if (error instanceof ServerRefusal) {
            say(error.detail || data.msgFailed, true);
          } else if (error && error.name === "InvalidStateError" && data.msgExists) {
            say(data.msgExists, true);
          } else if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
            say(data.msgCancelled, true);
          } else {
            say(data.msgFailed, true);
          }
          button.focus();
        });
    }

    root.hidden = false;
    return run;
  }

  function setUpRegistration(form) {
    var nameField = form.querySelector("input[name=name]");
    var run = ceremony(
      form,
      function () {
        return { name: nameField.value };
      },
      function (options) {
        return navigator.credentials.create({ publicKey: creationOptions(options) });
      },
      attestationJSON
    );
    form.addEventListener("submit", run);
  }

  function setUpVerification(root) {
    var run = ceremony(
      root,
      function () {
        return {};
      },
      function (options) {
        return navigator.credentials.get({ publicKey: requestOptions(options) });
      },
      assertionJSON
    );
    root.querySelector("[data-passkey-button]").addEventListener("click", run);
  }

  function start() {
    if (!supported()) {
      return;
    }
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) {
      note.hidden = true;
    });
    document.querySelectorAll("form[data-passkey-register]").forEach(setUpRegistration);
    document.querySelectorAll("[data-passkey-verify]").forEach(setUpVerification);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
