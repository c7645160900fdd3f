// The settings page: builds the form from the JSON Schema at /api/schema, fills it from
// /api/config, and shows the server's answers next to the fields they concern.
// Every text from the server goes into the page through textContent, never as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'settings-page-token';

  // The first sections hold the settings nearly everyone sets; every other key of the schema
  // lands in "Advanced", so a setting added to SmtpConfig shows up without a change here.
  // The TLS settings (mode, certificate checks, extra CA) sit together.
  const GROUPS = [
    { name: 'server', keys: ['MAIL_SERVER', 'MAIL_PORT'] },
    { name: 'encryption', keys: ['TLS', 'VALIDATE_CERTS', 'MAIL_CA_FILE'] },
    { name: 'login', keys: ['USE_CREDENTIALS', 'MAIL_USERNAME', 'MAIL_PASSWORD'] },
    { name: 'sender', keys: ['MAIL_FROM', 'MAIL_FROM_NAME'] },
  ];
  const words = window.PageWords;
  const T = words.T;
  const labels = {}; // key -> the label of its control

  // One choice for the two fastapi-mail flags, so "both on" cannot be chosen. The modes, their
  // usual ports and flags come from the schema's x-tls-modes (mailconf_smtp::Security's table).
  const TLS_KEYS = ['MAIL_STARTTLS', 'MAIL_SSL_TLS'];
  let TLS_MODES = [];

  function tlsModes(fromSchema) {
    const modes = (fromSchema || []).map((m) => ({
      value: m.value,
      label: words.capital(T(m.trusted_networks_only ? 'page-mode-option-trusted' : 'page-mode-option', { name: m.name, port: m.port })),
      flags: m.flags,
      port: m.port,
    }));
    modes.push({ value: '', label: T('page-mode-not-set'), flags: [null, null], port: null });
    return modes;
  }

  // Sent instead of a secret to keep the saved one: an object is never a valid setting value,
  // so it cannot be confused with a real password.
  const UNCHANGED = { unchanged: true };

  const el = (id) => document.getElementById(id);
  let schema = null;
  let secretsSet = {};
  const fields = {}; // key -> { kind, input, wrap, error, forget, state }

  class Unauthorized extends Error {}

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function api(method, path, body) {
    // The API answers in the page's language, whatever the browser's own preference.
    const headers = { Authorization: 'Bearer ' + token(), 'Accept-Language': words.lang };
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch('/api' + path, init);
    } catch (e) {
      return { status: 0, data: { success: false, error: T('page-unreachable', { reason: e.message }) } };
    }
    let data;
    try {
      data = await response.json();
    } catch (e) {
      data = { success: false, error: T('page-unexpected', { status: response.status }) };
    }
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin(T('page-token-refused', { reason: data.error || response.status }));
      throw new Unauthorized();
    }
    return { status: response.status, data };
  }

  function make(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === true) node.setAttribute(name, '');
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- The admin token -------------------------------------------------------------------

  function showLogin(message) {
    el('settings').hidden = true;
    el('summary').hidden = true;
    el('sign-out').hidden = true;
    el('login').hidden = false;
    const error = el('token-error');
    error.hidden = !message;
    error.textContent = message || '';
    el('token').focus();
  }

  el('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = el('token').value.trim();
    if (!value) {
      showLogin(T('page-enter-token'));
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    el('token').value = '';
    start();
  });

  el('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin('');
  });

  // --- Building the form from the schema -------------------------------------------------

  function isType(property, type) {
    const t = property.type;
    return t === type || (Array.isArray(t) && t.includes(type));
  }

  function isRequired(key) {
    const required = schema && (schema['x-required'] || schema.required);
    return Boolean(Array.isArray(required) && required.includes(key));
  }

  // Settings mailconf accepts only so that a fastapi-mail application's file loads.
  function fastapiOnly(property) {
    return /fastapi-mail compatibility/.test(property.description || '');
  }

  function fieldShell(key, labelText, description, codes, extra) {
    const wrap = make('div', { class: 'field', id: 'wrap-' + key });
    const label = make('label', { for: 'field-' + key });
    label.append(make('span', { class: 'label' }, labelText));
    labels[key] = labelText;
    if (extra && extra.required) {
      label.append(' ', make('span', { class: 'required', title: T('page-required') }, '*'));
    }
    if (extra && extra.badge) label.append(' ', make('span', { class: 'badge' }, extra.badge));
    for (const code of codes) label.append(' ', make('code', { class: 'var' }, code));
    const desc = make('p', { class: 'desc', id: 'desc-' + key, hidden: !description }, description);
    const error = make('div', { class: 'error', id: 'err-' + key, hidden: true });
    return { wrap, label, desc, error };
  }

  function buildField(key, property) {
    if (property.$ref) return null; // an alias: the setting it names has its own field
    const onlyFastapi = fastapiOnly(property);
    const said = (schema['x-labels'] || {})[key] || { label: key, help: '' };
    const shell = fieldShell(key, said.label,
      onlyFastapi ? T('page-fastapi-only-help') : said.help,
      [key], { required: isRequired(key), badge: onlyFastapi ? T('page-fastapi-only') : null });
    const attrs = {
      id: 'field-' + key,
      name: key,
      'aria-describedby': 'desc-' + key + ' err-' + key,
      'aria-required': isRequired(key) ? 'true' : null,
    };
    let input;
    let kind;
    if (isType(property, 'boolean')) {
      kind = 'checkbox';
      input = make('input', Object.assign(attrs, { type: 'checkbox' }));
      input.checked = property.default === true;
      shell.wrap.classList.add('check');
      shell.wrap.append(input, shell.label, shell.desc, shell.error);
    } else if (property.writeOnly) {
      kind = 'secret';
      input = make('input', Object.assign(attrs, {
        type: 'password', autocomplete: 'new-password', spellcheck: 'false',
      }));
      const state = make('p', { class: 'secret-state', id: 'state-' + key });
      const forgetId = 'forget-' + key;
      const forgetLabel = make('label', { class: 'forget', for: forgetId });
      const forget = make('input', { type: 'checkbox', id: forgetId });
      forgetLabel.append(forget, ' ' + T('page-remove-saved'));
      shell.wrap.append(shell.label, input, state, forgetLabel, shell.desc, shell.error);
      fields[key] = { kind, input, wrap: shell.wrap, error: shell.error, forget, forgetLabel, state };
      return shell.wrap;
    } else if (isType(property, 'integer')) {
      kind = 'number';
      input = make('input', Object.assign(attrs, {
        type: 'number', step: '1', inputmode: 'numeric',
        min: property.minimum, max: property.maximum,
        placeholder: said.placeholder,
      }));
      if (property.default !== undefined) input.value = String(property.default);
      shell.wrap.append(shell.label, input, shell.desc, shell.error);
    } else {
      kind = 'text';
      input = make('input', Object.assign(attrs, {
        type: 'text', spellcheck: 'false', autocomplete: 'off',
        placeholder: said.placeholder,
      }));
      if (property.default !== undefined) input.value = String(property.default);
      shell.wrap.append(shell.label, input, shell.desc, shell.error);
    }
    fields[key] = { kind, input, wrap: shell.wrap, error: shell.error };
    return shell.wrap;
  }

  function buildTls(properties) {
    const port = (value) => (TLS_MODES.find((m) => m.value === value) || {}).port;
    const shell = fieldShell('TLS', T('page-tls-label'),
      T('page-tls-help', { starttls_port: port('start_tls'), implicit_port: port('implicit_tls') }),
      TLS_KEYS, { required: true });
    const select = make('select', {
      id: 'field-TLS', name: 'TLS', 'aria-describedby': 'desc-TLS err-TLS',
    });
    for (const mode of TLS_MODES) select.append(make('option', { value: mode.value }, mode.label));
    select.value = TLS_MODES[0].value;
    let previous = select.value;
    // Following the usual port of the mode saves the classic 465/STARTTLS mix-up, but a port
    // the administrator typed is left alone.
    select.addEventListener('change', () => {
      const port = fields.MAIL_PORT && fields.MAIL_PORT.input;
      const before = TLS_MODES.find((m) => m.value === previous);
      const after = TLS_MODES.find((m) => m.value === select.value);
      if (port && after && after.port && (port.value === '' || (before && String(before.port) === port.value))) {
        port.value = String(after.port);
      }
      previous = select.value;
    });
    shell.wrap.append(shell.label, select, shell.desc, shell.error);
    fields.TLS = { kind: 'tls', input: select, wrap: shell.wrap, error: shell.error };
    return shell.wrap;
  }

  // A choice of the provider presets (the schema's x-providers, mailconf_smtp's table) that
  // fills the server, the port and the Encryption choice; it saves nothing itself.
  function buildProvider(presets) {
    const shell = fieldShell('PROVIDER_PRESET', T('page-provider-label'), T('page-provider-help'), [], {});
    const select = make('select', {
      id: 'field-PROVIDER_PRESET', name: 'PROVIDER_PRESET', 'aria-describedby': 'desc-PROVIDER_PRESET',
    });
    select.append(make('option', { value: '' }, T('page-provider-other')));
    for (const p of presets) select.append(make('option', { value: p.id }, p.name));
    select.addEventListener('change', () => {
      const p = presets.find((x) => x.id === select.value);
      if (!p) return;
      if (fields.MAIL_SERVER) fields.MAIL_SERVER.input.value = p.host;
      if (fields.MAIL_PORT) fields.MAIL_PORT.input.value = String(p.port);
      if (fields.TLS) fields.TLS.input.value = p.tls;
      if (p.username && fields.MAIL_USERNAME && fields.MAIL_USERNAME.input.value === '') {
        fields.MAIL_USERNAME.input.value = p.username;
      }
      shell.desc.textContent = words.capital(T('page-provider-note', { note: p.note, source: p.source }));
    });
    shell.wrap.append(shell.label, select, shell.desc);
    return shell.wrap;
  }

  function buildForm() {
    const container = el('fields');
    container.replaceChildren();
    for (const key of Object.keys(fields)) delete fields[key];
    const properties = schema.properties || {};
    const order = (schema['x-order'] || Object.keys(properties)).filter((k) => k in properties);
    const placed = new Set(['TLS', ...TLS_KEYS]);
    const section = (name, keys, open) => {
      const fieldset = make('fieldset', { id: 'group-' + name });
      if (open) fieldset.append(make('legend', {}, T('page-group-' + name)));
      for (const key of keys) {
        const node = key === 'TLS' ? buildTls(properties) : (properties[key] ? buildField(key, properties[key]) : null);
        if (node) fieldset.append(node);
        placed.add(key);
      }
      if (open) return fieldset;
      const details = make('details', { id: 'advanced' });
      details.append(make('summary', {}, T('page-group-' + name)), fieldset);
      return details;
    };
    for (const group of GROUPS) container.append(section(group.name, group.keys, true));
    const presets = schema['x-providers'] || [];
    const server = el('group-server');
    if (presets.length && server) {
      server.insertBefore(buildProvider(presets), server.firstChild.nextSibling);
    }
    // The *_FILE variants are the rarest way to set a value: last.
    const rest = order.filter((k) => !placed.has(k) && !properties[k].$ref);
    rest.sort((a, b) => Number(a.endsWith('_FILE')) - Number(b.endsWith('_FILE')));
    if (rest.length) container.append(section('advanced', rest, false));
    if (fields.USE_CREDENTIALS) {
      fields.USE_CREDENTIALS.input.addEventListener('change', syncLogin);
    }
    words.setLabels(labels);
  }

  // Greys out the login fields when no login is used; they are still sent and saved.
  function syncLogin() {
    const on = !fields.USE_CREDENTIALS || fields.USE_CREDENTIALS.input.checked;
    for (const key of ['MAIL_USERNAME', 'MAIL_PASSWORD']) {
      if (fields[key]) fields[key].wrap.classList.toggle('muted', !on);
    }
  }

  // --- Values in and out -----------------------------------------------------------------

  function truthy(text) {
    return ['true', '1', 'yes', 'on'].includes(String(text).trim().toLowerCase());
  }

  function fill(config) {
    const values = config.values || {};
    secretsSet = config.secrets_set || {};
    for (const [key, field] of Object.entries(fields)) {
      if (field.kind === 'tls' || field.kind === 'secret') continue;
      if (!(key in values)) continue;
      if (field.kind === 'checkbox') field.input.checked = truthy(values[key]);
      else field.input.value = values[key];
    }
    if (fields.TLS && TLS_KEYS.some((k) => k in values)) {
      const flags = TLS_KEYS.map((k) => (k in values ? truthy(values[k]) : null));
      const mode = TLS_MODES.find((m) => m.flags[0] === flags[0] && m.flags[1] === flags[1]);
      fields.TLS.input.value = mode ? mode.value : '';
    } else if (fields.TLS && config.saved && secretsSet.MAIL_URL) {
      fields.TLS.input.value = '';
    }
    // Nothing saved yet: start from the usual port of the preselected mode.
    const port = fields.MAIL_PORT && fields.MAIL_PORT.input;
    const mode = fields.TLS && TLS_MODES.find((m) => m.value === fields.TLS.input.value);
    if (port && port.value === '' && !config.saved && mode && mode.port) port.value = String(mode.port);
    showSecretStates();
    syncLogin();
  }

  function showSecretStates() {
    for (const [key, field] of Object.entries(fields)) {
      if (field.kind !== 'secret') continue;
      const set = Boolean(secretsSet[key]);
      field.input.value = '';
      field.forget.checked = false;
      field.forgetLabel.hidden = !set;
      field.state.textContent = set ? T('page-secret-saved') : T('page-secret-none');
      field.input.placeholder = set ? T('page-secret-placeholder') : '';
    }
  }

  // The JSON object the API takes; problems the browser alone can see go to clientErrors.
  function collect(clientErrors) {
    const body = {};
    for (const [key, field] of Object.entries(fields)) {
      const input = field.input;
      switch (field.kind) {
        case 'checkbox':
          body[key] = input.checked;
          break;
        case 'number':
          if (input.value === '') {
            if (input.validity.badInput) {
              clientErrors.push({ key, code: 'invalid_value', message: T('page-not-a-number'), hint: T('page-whole-number') });
            }
            body[key] = null;
          } else {
            const n = Number(input.value);
            body[key] = Number.isInteger(n) ? n : input.value;
          }
          break;
        case 'secret':
          if (field.forget.checked) body[key] = null;
          else if (input.value !== '') body[key] = input.value;
          else body[key] = secretsSet[key] ? UNCHANGED : null;
          break;
        case 'tls': {
          const mode = TLS_MODES.find((m) => m.value === input.value) || TLS_MODES[0];
          body.MAIL_STARTTLS = mode.flags[0];
          body.MAIL_SSL_TLS = mode.flags[1];
          break;
        }
        default:
          body[key] = input.value === '' ? null : input.value;
      }
    }
    return body;
  }

  // --- Showing answers -------------------------------------------------------------------

  function fieldKeyOf(errorKey) {
    if (TLS_KEYS.includes(errorKey)) return 'TLS';
    if (fields[errorKey]) return errorKey;
    const property = schema && schema.properties && schema.properties[errorKey];
    if (property && property.$ref) {
      const target = property.$ref.split('/').pop();
      if (fields[target]) return target;
    }
    return null;
  }

  function clearErrors() {
    for (const field of Object.values(fields)) {
      field.error.hidden = true;
      field.error.replaceChildren();
      field.wrap.classList.remove('invalid');
      field.input.removeAttribute('aria-invalid');
    }
  }

  function problemNodes(error, fieldKey) {
    const said = fieldKey ? words.forControl(error, fieldKey) : { message: sentence(error.message), hint: error.hint };
    const nodes = [make('span', { class: 'message' }, said.message)];
    if (said.hint) nodes.push(make('span', { class: 'hint' }, said.hint));
    return nodes;
  }

  function sentence(text) {
    const t = String(text || '');
    return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
  }

  function summary(kind, title, items) {
    const box = el('summary');
    box.className = 'banner ' + kind;
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    box.replaceChildren(make('h2', {}, title));
    if (items && items.length) {
      const list = make('ul');
      for (const item of items) list.append(item);
      box.append(list);
    }
    box.hidden = false;
    return box;
  }

  function showErrors(errors, title) {
    clearErrors();
    const items = [];
    let first = null;
    for (const error of errors) {
      const key = fieldKeyOf(error.key);
      const li = make('li');
      if (key) {
        const field = fields[key];
        const p = make('p');
        p.append(...problemNodes(error, key));
        field.error.append(p);
        field.error.hidden = false;
        field.wrap.classList.add('invalid');
        field.input.setAttribute('aria-invalid', 'true');
        const details = field.wrap.closest('details');
        if (details) details.open = true;
        first = first || field.input;
        const link = make('a', { href: '#field-' + key }, words.labelOf(key));
        link.addEventListener('click', (event) => {
          event.preventDefault();
          field.input.focus();
        });
        li.append(link, ' ', make('code', { class: 'var' }, error.key), ': ');
        const said = words.forControl(error, key);
        li.append(said.message.replace(/^[^:]*:\s*/, ''));
      } else {
        if (error.key) li.append(make('code', {}, error.key), ': ');
        li.append(...problemNodes(error));
      }
      items.push(li);
    }
    const n = errors.length;
    const box = summary('error', title || T('page-problems-not-saved', { count: n }), items);
    box.focus();
    return first;
  }

  // The server names each step in the page's language (`label`).
  function stepItem(step) {
    const line = T('page-step-line', {
      mark: step.ok ? '✓' : '✗', step: step.label || step.name, millis: step.millis, detail: step.detail,
    });
    const li = make('li', { class: step.ok ? 'step ok' : 'step failed' }, line);
    if (!step.ok && step.hint) li.append(make('span', { class: 'hint' }, words.capital(words.rewrite(step.hint))));
    return li;
  }

  // Sets the form as `values` (variable -> value) says; the TLS flags choose the mode.
  function applyFix(values) {
    const flags = TLS_KEYS.map((k) => values[k]);
    if (fields.TLS && flags.every((f) => typeof f === 'boolean')) {
      const mode = TLS_MODES.find((m) => m.flags[0] === flags[0] && m.flags[1] === flags[1]);
      if (mode) fields.TLS.input.value = mode.value;
    }
    for (const [key, value] of Object.entries(values)) {
      const field = fields[key];
      if (!field || TLS_KEYS.includes(key)) continue;
      if (field.kind === 'checkbox') field.input.checked = Boolean(value);
      else field.input.value = String(value);
    }
  }

  // A failed request or connection test: the diagnosis in one sentence first, the button that
  // applies its fix, then the details; steps that passed are not shown as failures.
  function showFailure(data, status) {
    clearErrors();
    const box = summary('error', sentence(data.error || T('page-request-failed', { status })));
    const key = data.key && fieldKeyOf(data.key);
    if (key) {
      const field = fields[key];
      field.error.replaceChildren(make('p', {}, words.labelOf(key) + ': ' + words.rewrite(data.error)));
      field.error.hidden = false;
      field.wrap.classList.add('invalid');
    }
    if (data.fix && data.fix.values) {
      const button = make('button', { type: 'button', id: 'apply-fix', class: 'fix' }, data.fix.label);
      button.addEventListener('click', () => {
        applyFix(data.fix.values);
        summary('success', T('page-changed', { fix: data.fix.label }));
        el('test').focus();
      });
      box.append(button);
    }
    const steps = (data.report && data.report.steps) || [];
    // A failed step shows its own hint; only a hint from elsewhere (advice) is added.
    if (data.hint && !steps.some((s) => !s.ok && s.hint === data.hint)) {
      box.append(make('p', { class: 'hint' }, words.capital(words.rewrite(data.hint))));
    }
    if (data.detail) box.append(make('p', { class: 'detail' }, T('page-details', { detail: data.detail })));
    if (steps.length) {
      const list = make('ol', { class: 'steps' });
      for (const step of steps) list.append(stepItem(step));
      box.append(list);
    }
    box.focus();
  }

  function setBusy(text) {
    el('busy').textContent = text || '';
    el('save').disabled = Boolean(text);
    el('test').disabled = Boolean(text);
  }

  async function submit(path, busyText) {
    const clientErrors = [];
    const body = collect(clientErrors);
    setBusy(busyText);
    try {
      const { status, data } = await api('POST', path, body);
      if (status === 422 && Array.isArray(data.errors)) {
        // A number the browser could not read reaches the server as "not set": say what was typed.
        const keys = new Set(clientErrors.map((e) => e.key));
        const errors = clientErrors.concat(data.errors.filter((e) => !(keys.has(e.key) && e.code === 'missing')));
        showErrors(errors, path === '/config' ? undefined : T('page-problems-before-test', { count: errors.length }));
        return null;
      }
      if (clientErrors.length) {
        showErrors(clientErrors);
        return null;
      }
      return { status, data };
    } catch (e) {
      if (!(e instanceof Unauthorized)) throw e;
      return null;
    } finally {
      setBusy('');
    }
  }

  el('settings').addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await submit('/config', T('page-saving'));
    if (!answer) return;
    const { status, data } = answer;
    if (status !== 200 || !data.success) {
      showFailure(data, status);
      return;
    }
    clearErrors();
    const items = (data.warnings || []).map((w) => {
      const li = make('li');
      li.append(make('code', {}, w.key), ': ', ...problemNodes(w));
      return li;
    });
    const title = items.length ? T('page-saved-warnings', { count: items.length }) : T('page-saved');
    summary(items.length ? 'warning' : 'success', title, items).focus();
    // The secrets now live on the server only; the inputs go back to "saved".
    const config = await api('GET', '/config').catch(() => null);
    if (config && config.status === 200) {
      secretsSet = config.data.secrets_set || {};
      showSecretStates();
    }
  });

  el('test').addEventListener('click', async () => {
    const answer = await submit('/config/test', T('page-testing'));
    if (!answer) return;
    const { status, data } = answer;
    if (status === 200 && data.success) {
      clearErrors();
      const steps = ((data.report && data.report.steps) || []).map(stepItem);
      summary('success', T('page-test-passed', { message: sentence(data.message) }), steps).focus();
    } else {
      showFailure(data, status);
    }
  });

  // --- Start -----------------------------------------------------------------------------

  async function start() {
    if (!token()) {
      showLogin('');
      return;
    }
    try {
      const s = await api('GET', '/schema');
      if (s.status !== 200) {
        showFailure(s.data, s.status);
        return;
      }
      schema = s.data;
      TLS_MODES = tlsModes(schema['x-tls-modes']);
      words.setModes(schema['x-tls-modes'] || []);
      buildForm();
      const c = await api('GET', '/config');
      if (c.status === 200) fill(c.data);
      else {
        fill({});
        showFailure(c.data, c.status);
      }
      el('login').hidden = true;
      el('settings').hidden = false;
      el('sign-out').hidden = false;
    } catch (e) {
      if (!(e instanceof Unauthorized)) {
        summary('error', T('page-could-not-start', { reason: e.message }));
      }
    }
  }

  start();
})();
