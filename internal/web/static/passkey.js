// Passkeys: a form marked data-passkey="create" or "get" carries the
// ceremony's options (data-options, JSON) and hidden "state" and
// "credential" fields. On submit the browser asks the device, writes its
// answer into "credential" and sends the form. Without WebAuthn the form
// stays hidden and its data-passkey-none sibling says why.
(function () {
  'use strict';
  var b64 = {
    dec: function (s) {
      s = s.replace(/-/g, '+').replace(/_/g, '/');
      while (s.length % 4) s += '=';
      var bin = atob(s), out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out.buffer;
    },
    enc: function (buf) {
      var bytes = new Uint8Array(buf), bin = '';
      for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
      return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }
  };
  function decodeOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64.dec(pk.challenge);
    if (pk.user) pk.user.id = b64.dec(pk.user.id);
    ['excludeCredentials', 'allowCredentials'].forEach(function (k) {
      (pk[k] || []).forEach(function (c) { c.id = b64.dec(c.id); });
    });
    return { publicKey: pk };
  }
  function encodeCredential(c) {
    var r = c.response, out = { id: c.id, rawId: b64.enc(c.rawId), type: c.type,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      authenticatorAttachment: c.authenticatorAttachment || undefined, response: { clientDataJSON: b64.enc(r.clientDataJSON) } };
    if (r.attestationObject) {
      out.response.attestationObject = b64.enc(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = b64.enc(r.authenticatorData);
      out.response.signature = b64.enc(r.signature);
      if (r.userHandle) out.response.userHandle = b64.enc(r.userHandle);
    }
    return JSON.stringify(out);
  }
  var supported = !!(window.PublicKeyCredential && navigator.credentials);
  document.querySelectorAll('form[data-passkey]').forEach(function (form) {
    var none = form.parentNode.querySelector('[data-passkey-none]');
    if (!supported) return;
    form.hidden = false;
    if (none) none.hidden = true;
    var status = form.querySelector('[data-passkey-status]');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (!form.reportValidity()) return;
      var opts = decodeOptions(JSON.parse(form.getAttribute('data-options')));
      var ask = form.getAttribute('data-passkey') === 'create' ? navigator.credentials.create(opts) : navigator.credentials.get(opts);
      ask.then(function (c) {
        form.querySelector('input[name="credential"]').value = encodeCredential(c);
        form.submit();
      }, function () {
        if (status) {
          status.className = 'field-error'; // the class only once shown: it sets display
          status.hidden = false;
        }
      });
    });
  });
})();
