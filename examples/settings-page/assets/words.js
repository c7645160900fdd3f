// The page's words. Every text the script shows comes from the catalog, in the page's language:
// the server puts the `page-…` messages into the page as JSON (#words-json), and T(id, vars)
// fills in their Fluent variables. mailconf speaks in variables ("set MAIL_STARTTLS=true"); the
// page speaks of its controls ("set Encryption to STARTTLS") and keeps the variable as a
// secondary label. Loaded before app.js, which uses window.PageWords.
'use strict';

window.PageWords = (function () {
  const page = JSON.parse(document.getElementById('words-json').textContent);
  const WORDS = page.words || {};

  // The catalog message `id` with `vars` in place of its `{$name}`; a count of one takes the
  // language's form for one (`id#one`) when it has one.
  function T(id, vars) {
    const v = vars || {};
    let text = (v.count === 1 && WORDS[id + '#one']) || WORDS[id] || id;
    for (const [name, value] of Object.entries(v)) {
      text = text.split('{$' + name + '}').join(String(value));
    }
    return text;
  }

  // fastapi-mail's two flags, as the one Encryption choice of the form (the mode names come
  // from the schema's x-tls-modes, in the page's language).
  const FLAGS = ['MAIL_STARTTLS', 'MAIL_SSL_TLS'];
  let modes = {};
  let labels = {};

  function setModes(list) {
    modes = {};
    for (const m of list) modes[m.flags.join(',')] = m.name;
  }

  function setLabels(map) {
    labels = Object.assign({}, map);
    // "TLS" is the form's own name for the Encryption control, and a word in messages.
    delete labels.TLS;
    for (const key of FLAGS) labels[key] = T('page-tls-label');
  }

  function labelOf(key) {
    return labels[key] || key;
  }

  function quoted(key) {
    return T('page-quoted', { label: labelOf(key) });
  }

  function encryptionTo(flags) {
    return T('page-set-encryption', { mode: modes[flags] || flags });
  }

  // Rewrites every variable the page has a control for; other text is left as it is.
  function rewrite(text) {
    let t = String(text || '');
    t = t.replace(/MAIL_STARTTLS=(true|false),?\s*(?:and\s+)?MAIL_SSL_TLS=(true|false)/g,
      (m, a, b) => encryptionTo(a + ',' + b));
    t = t.replace(/MAIL_SSL_TLS=(true|false),?\s*(?:and\s+)?MAIL_STARTTLS=(true|false)/g,
      (m, b, a) => encryptionTo(a + ',' + b));
    t = t.replace(/MAIL_STARTTLS=true/g, () => encryptionTo('true,false'));
    t = t.replace(/MAIL_SSL_TLS=true/g, () => encryptionTo('false,true'));
    t = t.replace(/\b([A-Z][A-Z0-9_]{2,})=(true|false)\b/g,
      (m, key, value) => (key in labels ? T(value === 'true' ? 'page-tick' : 'page-untick', { label: quoted(key) }) : m));
    t = t.replace(/\b([A-Z][A-Z0-9_]{2,})=([^\s,;)]+)/g,
      (m, key, value) => (key in labels ? T('page-set-to', { label: quoted(key), value }) : m));
    t = t.replace(/\b([A-Z][A-Z0-9_]{2,})\b/g, (m, key) => (key in labels ? quoted(key) : m));
    return t;
  }

  function capital(text) {
    const t = String(text || '');
    return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
  }

  // An error as the control it is attached to says it: "<Control>: <what to do>".
  function forControl(error, fieldKey) {
    // The plain-text login rule, known by the setting its hint names (in every language).
    if (fieldKey === 'TLS' && /ALLOW_INSECURE_AUTH/.test(String(error.hint || ''))) {
      return { message: T('page-insecure-message'), hint: T('page-insecure-hint') };
    }
    if (error.code === 'missing') {
      return { message: T('page-control-required', { label: labelOf(fieldKey) }), hint: '' };
    }
    return {
      message: labelOf(fieldKey) + ': ' + rewrite(error.message),
      hint: error.hint ? capital(rewrite(error.hint)) : '',
    };
  }

  return { T, lang: page.lang, setModes, setLabels, labelOf, rewrite, forControl, capital };
})();
