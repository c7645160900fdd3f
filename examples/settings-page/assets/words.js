// The page's own words for mailconf's messages. mailconf speaks in variables ("set
// MAIL_STARTTLS=true"); the page speaks of its controls ("set Encryption to STARTTLS"), and
// keeps the variable as a secondary label. Loaded before app.js, which uses window.PageWords.
'use strict';

window.PageWords = (function () {
  // fastapi-mail's two flags, as the one Encryption choice of the form.
  const MODES = { 'true,false': 'STARTTLS', 'false,true': 'Implicit TLS', 'false,false': 'None (plain text)' };
  const FLAGS = ['MAIL_STARTTLS', 'MAIL_SSL_TLS'];
  let labels = {};

  function setLabels(map) {
    labels = Object.assign({}, map);
    // "TLS" is the form's own name for the Encryption control, and a word in messages.
    delete labels.TLS;
    for (const key of FLAGS) labels[key] = 'Encryption';
  }

  function labelOf(key) {
    return labels[key] || key;
  }

  function quoted(key) {
    return '“' + labelOf(key) + '”';
  }

  // Rewrites every variable the page has a control for; other text is left as it is.
  function rewrite(text) {
    let t = String(text || '');
    t = t.replace(/MAIL_STARTTLS=(true|false),?\s*(?:and\s+)?MAIL_SSL_TLS=(true|false)/g,
      (m, a, b) => 'Encryption to ' + MODES[a + ',' + b]);
    t = t.replace(/MAIL_SSL_TLS=(true|false),?\s*(?:and\s+)?MAIL_STARTTLS=(true|false)/g,
      (m, b, a) => 'Encryption to ' + MODES[a + ',' + b]);
    t = t.replace(/MAIL_STARTTLS=true/g, 'Encryption to STARTTLS');
    t = t.replace(/MAIL_SSL_TLS=true/g, 'Encryption to Implicit TLS');
    t = t.replace(/\b([A-Z][A-Z0-9_]{2,})=(true|false)\b/g,
      (m, key, value) => (key in labels ? (value === 'true' ? 'tick ' : 'untick ') + quoted(key) : m));
    t = t.replace(/\b([A-Z][A-Z0-9_]{2,})=([^\s,;)]+)/g,
      (m, key, value) => (key in labels ? quoted(key) + ' to ' + value : m));
    t = t.replace(/\b([A-Z][A-Z0-9_]{2,})\b/g, (m, key) => (key in labels ? quoted(key) : m));
    return t;
  }

  function capital(text) {
    const t = String(text || '');
    return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
  }

  // An error as the control it is attached to says it: "<Control>: <what to do>".
  function forControl(error, fieldKey) {
    const message = String(error.message || '');
    if (fieldKey === 'TLS' && /unencrypted/.test(message)) {
      return {
        message: 'Encryption: choose STARTTLS, or allow a plain-text login under Advanced',
        hint: 'A plain-text login lets anyone on the network read the password: allow it only on a network you trust.',
      };
    }
    if (error.code === 'missing') {
      return { message: labelOf(fieldKey) + ': required', hint: '' };
    }
    return {
      message: labelOf(fieldKey) + ': ' + rewrite(message),
      hint: error.hint ? capital(rewrite(error.hint)) : '',
    };
  }

  return { setLabels, labelOf, rewrite, forControl, capital };
})();
