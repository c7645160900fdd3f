// The dev inbox: polls /api/messages, shows the selected message. Text from messages is only
// ever set as textContent; HTML bodies go into a sandboxed iframe served with a CSP that
// allows no script and no network access.
'use strict';
(function () {
  let selected = null;
  let tab = 'html';
  let known = '';

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function refresh() {
    let messages;
    try {
      messages = await (await fetch('/api/messages')).json();
    } catch (e) {
      return;
    }
    const key = messages.map((m) => m.id).join(',');
    if (key === known) return;
    known = key;
    const list = document.getElementById('list');
    list.replaceChildren();
    if (messages.length === 0) {
      list.append(el('li', { id: 'empty' }, 'No messages yet: send one to the dev server.'));
      return;
    }
    for (const m of messages) {
      const item = el('li', { 'data-id': String(m.id), class: m.id === selected ? 'selected' : '' });
      item.append(el('div', { class: 'subject' }, m.subject || '(no subject)'));
      const when = new Date(m.received * 1000).toLocaleTimeString();
      const clip = m.attachments.length ? ' · ' + m.attachments.length + ' attachment(s)' : '';
      item.append(el('div', { class: 'meta' }, m.from + ' → ' + m.to.join(', ')));
      item.append(el('div', { class: 'meta' }, when + ' · ' + m.size + ' bytes' + clip));
      item.addEventListener('click', () => show(m.id));
      list.append(item);
    }
  }

  async function show(id) {
    selected = id;
    for (const li of document.querySelectorAll('#list li')) {
      li.classList.toggle('selected', li.getAttribute('data-id') === String(id));
    }
    const m = await (await fetch('/api/messages/' + id)).json();
    document.getElementById('view').hidden = false;
    document.getElementById('subject').textContent = m.subject || '(no subject)';
    document.getElementById('envelope').textContent =
      'From ' + m.from + ' to ' + m.rcpt_to.join(', ');
    const attachments = document.getElementById('attachments');
    attachments.replaceChildren();
    for (const a of m.attachments) {
      const link = el('a', { href: '/api/messages/' + id + '/attachments/' + a.index, download: a.name, class: 'attachment' },
        a.name + ' (' + a.content_type + ', ' + a.size + ' bytes)');
      attachments.append(link, document.createTextNode(' '));
    }
    render(m);
  }

  function render(m) {
    const panel = document.getElementById('panel');
    panel.replaceChildren();
    for (const b of document.querySelectorAll('#tabs button')) {
      b.classList.toggle('active', b.getAttribute('data-tab') === tab);
    }
    if (tab === 'html') {
      if (m.has_html) {
        // No allow-scripts, no allow-same-origin: the message can run nothing and read nothing.
        panel.append(el('iframe', { id: 'html', sandbox: '', src: '/api/messages/' + m.id + '/html' }));
      } else {
        panel.append(el('p', {}, 'This message has no HTML part.'));
      }
    } else if (tab === 'text') {
      panel.append(el('pre', { id: 'text' }, m.text === null ? '(no text part)' : m.text));
    } else if (tab === 'headers') {
      panel.append(el('pre', { id: 'headers' }, m.headers.map((h) => h[0] + ': ' + h[1]).join('\n')));
    } else {
      const pre = el('pre', { id: 'raw' }, 'loading…');
      panel.append(pre);
      fetch('/api/messages/' + m.id + '/raw').then((r) => r.text()).then((t) => { pre.textContent = t; });
    }
  }

  for (const b of document.querySelectorAll('#tabs button')) {
    b.addEventListener('click', async () => {
      tab = b.getAttribute('data-tab');
      if (selected !== null) render(await (await fetch('/api/messages/' + selected)).json());
    });
  }
  refresh();
  setInterval(refresh, 1000);
})();
