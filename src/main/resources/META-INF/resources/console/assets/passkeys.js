// The console's passkeys: the one script of its own (the CSP allows scripts from this origin only, none inline).
// It runs the WebAuthn ceremonies of three buttons (data-passkey = signin | factor | register) against the console's
// endpoints (or, on the OpenID provider's pages, those of the form's data-passkey-base), which call the same service
// as the API's auth/passkeys, and passkey autofill where an input asks for it. Every other page works without it;
// without WebAuthn in the browser the buttons stay hidden.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  // base64url <-> bytes, for browsers without WebAuthn Level 3's JSON helpers
  function decode(s) {
    const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    return Uint8Array.from(b, function (c) { return c.charCodeAt(0); });
  }
  function encode(buffer) {
    const bytes = new Uint8Array(buffer);
    let s = '';
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function descriptors(list) {
    return (list || []).map(function (d) { return Object.assign({}, d, { id: decode(d.id) }); });
  }
  function creationOptions(o) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(o);
    }
    return Object.assign({}, o, { challenge: decode(o.challenge), user: Object.assign({}, o.user, { id: decode(o.user.id) }),
      excludeCredentials: descriptors(o.excludeCredentials) });
  }
  function requestOptions(o) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(o);
    }
    return Object.assign({}, o, { challenge: decode(o.challenge), allowCredentials: descriptors(o.allowCredentials) });
  }
  function json(credential) {
    if (typeof credential.toJSON === 'function') {
      return credential.toJSON();
    }
    const r = credential.response;
    const response = { clientDataJSON: encode(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = encode(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = encode(r.authenticatorData);
      response.signature = encode(r.signature);
      if (r.userHandle) {
        response.userHandle = encode(r.userHandle);
      }
    }
    return { id: credential.id, rawId: encode(credential.rawId), type: credential.type, response: response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined };
  }

  // a form post (the console's CSRF check reads the form's token), answered in JSON
  async function post(url, fields) {
    const r = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' },
      body: new URLSearchParams(fields) });
    let body = null;
    try {
      body = await r.json();
    } catch (e) {
      body = null;
    }
    if (!r.ok || !body) {
      throw new Error(body && body.message ? body.message : 'This form has expired: reload the page and try again.');
    }
    return body;
  }

  function field(form, name) {
    const input = form.querySelector('[name="' + name + '"]');
    return input ? input.value : '';
  }

  async function ceremony(button) {
    const form = button.closest('form');
    const kind = button.getAttribute('data-passkey');
    const csrf = field(form, 'csrf');
    const group = field(form, 'group');
    if (kind === 'register') {
      const base = '/console/' + encodeURIComponent(group) + '/passkeys/register';
      const o = await post(base + '/options', { csrf: csrf });
      const c = await navigator.credentials.create({ publicKey: creationOptions(o.publicKey) });
      return post(base, { csrf: csrf, challenge_id: o.challenge_id, credential: JSON.stringify(json(c)),
        name: field(form, 'name') });
    }
    return signIn(form, kind === 'factor' ? 'factor' : 'signin', null);
  }

  // A sign-in with a passkey: the console's, or (data-passkey-base, on an element around the form) the OpenID provider's page, whose form also
  // carries the authorization request. mediation 'conditional': the browser offers the passkey in the email field's
  // autofill instead of a dialog.
  async function signIn(form, step, mediation) {
    const holder = form.closest('[data-passkey-base]');
    const base = holder ? holder.getAttribute('data-passkey-base') : '/console/login/passkey';
    const fields = { csrf: field(form, 'csrf'), group: field(form, 'group'), step: step };
    if (form.querySelector('[name="authorization"]')) {
      fields.authorization = field(form, 'authorization');
    }
    const o = await post(base + '/options', fields);
    const request = { publicKey: requestOptions(o.publicKey) };
    if (mediation) {
      request.mediation = mediation;
    }
    const c = await navigator.credentials.get(request);
    return post(base, Object.assign({}, fields, { challenge_id: o.challenge_id, credential: JSON.stringify(json(c)) }));
  }

  // Passkey autofill: an input with autocomplete "... webauthn" in a form under data-passkey-base waits for the
  // person to pick a passkey in its suggestions
  async function autofill() {
    const input = document.querySelector('[data-passkey-base] form input[autocomplete~="webauthn"]');
    if (!input || !PublicKeyCredential.isConditionalMediationAvailable
        || !(await PublicKeyCredential.isConditionalMediationAvailable())) {
      return;
    }
    try {
      const done = await signIn(input.closest('form'), 'signin', 'conditional');
      window.location.assign(done.location);
    } catch (e) {
      // quietly: autofill is an offer (passkeys may be off for the group), the password and the button remain
    }
  }

  async function run(button) {
    const box = button.closest('[data-passkey-box]') || button.parentElement;
    const error = box.querySelector('[data-passkey-error]');
    error.hidden = true;
    button.disabled = true;
    try {
      const done = await ceremony(button);
      window.location.assign(done.location);
    } catch (e) {
      // NotAllowedError: the person cancelled, or no passkey of this site is on the authenticator
      error.textContent = e && e.name === 'NotAllowedError'
        ? 'No passkey was used: cancelled, or none of this site is on this device.' : (e && e.message) || String(e);
      error.hidden = false;
      button.disabled = false;
    }
  }

  function show() {
    document.querySelectorAll('[data-passkey-box]').forEach(function (box) { box.hidden = false; });
  }

  document.addEventListener('click', function (event) {
    const button = event.target.closest && event.target.closest('button[data-passkey]');
    if (button) {
      event.preventDefault();
      run(button);
    }
  });
  // Enter in the passkey's name field starts the ceremony instead of posting the form without a credential
  document.addEventListener('submit', function (event) {
    const button = event.target.querySelector && event.target.querySelector('button[data-passkey="register"]');
    if (button) {
      event.preventDefault();
      run(button);
    }
  });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', show);
    document.addEventListener('DOMContentLoaded', autofill);
  } else {
    show();
    autofill();
  }
  document.addEventListener('htmx:afterSettle', show);
}());
