// Draws one message as Telegram would: its text with the entities the emulator reports
// (bold, links, /commands...), the message it replies to, its inline buttons. Every text
// goes in through textContent; a link is made only for http, https, tg, mailto and tel.

const SAFE_SCHEMES = new Set(["http:", "https:", "tg:", "mailto:", "tel:"]);
const TAGS = {
  bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre",
  blockquote: "blockquote", expandable_blockquote: "blockquote",
};
const LINKS = new Set(["text_link", "url", "email", "phone_number"]);

// The address, if it is one of the safe kinds; else null (and no link is made).
export function safeUrl(raw) {
  if (typeof raw !== "string") return null;
  let url;
  try { url = new URL(raw.trim()); } catch { return null; }
  return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
}

function linkOf(entity, part) {
  if (entity.type === "text_link") return safeUrl(entity.url);
  if (entity.type === "url") return safeUrl(/^[a-z][a-z0-9+.-]*:/i.test(part) ? part : "http://" + part);
  if (entity.type === "email") return safeUrl("mailto:" + part);
  if (entity.type === "phone_number") return safeUrl("tel:" + part.replace(/[^\d+]/g, ""));
  return null;
}

function elementOf(entity, text, actions) {
  const part = text.slice(entity.offset, entity.offset + entity.length);
  if (LINKS.has(entity.type)) {
    const href = linkOf(entity, part);
    if (!href) return document.createElement("span");
    const link = document.createElement("a");
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }
  if (entity.type === "bot_command") {  // tapping a /command sends it, as in Telegram
    const link = document.createElement("a");
    link.href = "#";
    link.addEventListener("click", (event) => { event.preventDefault(); actions.command(part); });
    return link;
  }
  if (entity.type === "spoiler") {
    const span = document.createElement("span");
    span.className = "spoiler";
    return span;
  }
  return document.createElement(TAGS[entity.type] || "span");
}

// The text with its entities; nested entities nest, as Telegram's HTML did.
export function richText(text, entities, actions) {
  const root = document.createElement("div");
  const sorted = [...(entities || [])]
    .filter((e) => e.length > 0 && e.offset >= 0 && e.offset + e.length <= text.length)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const cuts = new Set([0, text.length]);
  for (const e of sorted) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const bounds = [...cuts].sort((a, b) => a - b);
  let open = [];  // [entity, element] from the outside in
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const active = sorted.filter((e) => e.offset <= start && e.offset + e.length >= end);
    let keep = 0;
    while (keep < open.length && keep < active.length && open[keep][0] === active[keep]) keep++;
    open = open.slice(0, keep);
    for (const entity of active.slice(keep)) {
      const element = elementOf(entity, text, actions);
      (open.length ? open[open.length - 1][1] : root).append(element);
      open.push([entity, element]);
    }
    (open.length ? open[open.length - 1][1] : root).append(document.createTextNode(text.slice(start, end)));
  }
  return root;
}

function quote(m) {
  const q = document.createElement("div");
  q.className = "quote";
  q.dir = "auto";  // its own direction; the bubble's comes from the message text
  const who = m.reply_to.from_bot ? "Lotse" : "You";
  q.textContent = m.reply_to.deleted ? "↩ Deleted message" : `↩ ${who}: ${m.reply_to.text}`;
  return q;
}

function media(m, actions) {
  if (m.kind === "photo") {
    const img = document.createElement("img");
    img.src = actions.fileUrl(m);
    img.alt = "photo";
    return img;
  }
  if (m.kind === "contact" && m.contact) {
    const card = document.createElement("div");
    card.className = "contact";
    card.dir = "auto";
    card.textContent = `👤 ${m.contact.first_name || ""}\n📞 ${m.contact.phone_number}`;
    return card;
  }
  if (m.from_bot) {
    const link = document.createElement("a");
    link.href = actions.fileUrl(m);
    link.textContent = "📄 " + (m.file_name || m.kind);
    link.dir = "auto";
    return link;
  }
  const labels = {voice: "🎤 0:02", location: "📍 Location"};
  const label = document.createElement("div");
  label.dir = "ltr";
  label.textContent = labels[m.kind] || "📎 " + m.kind;
  return label;
}

function inlineButtons(m, actions) {
  const grid = document.createElement("div");
  grid.className = "buttons";
  for (const row of m.reply_markup.inline_keyboard) {
    const line = document.createElement("div");
    line.className = "row";
    for (const b of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.dir = "auto";
      button.textContent = b.text;
      if (b.url) {
        const href = safeUrl(b.url);
        button.disabled = !href;
        button.addEventListener("click", () => window.open(href, "_blank", "noopener,noreferrer"));
      } else {
        button.addEventListener("click", () => actions.press(m, b));
      }
      line.append(button);
    }
    grid.append(line);
  }
  return grid;
}

// actions: fileUrl(m), press(m, button), command(text), reply(m)
export function bubbleOf(m, actions) {
  const bubble = document.createElement("div");
  bubble.className = "msg " + (m.from_bot ? "bot" : "me");
  bubble.dir = "auto";
  bubble.dataset.id = m.message_id;
  if (m.reply_to) bubble.append(quote(m));
  if (m.kind !== "text") bubble.append(media(m, actions));
  if (m.text) {
    // No dir of its own: the bubble's dir="auto" takes its direction from this text.
    bubble.append(richText(m.text, m.entities, actions));
  } else if (m.caption) {
    bubble.append(richText(m.caption, m.caption_entities, actions));
  }
  if (m.protect_content) {
    const lock = document.createElement("div");
    lock.className = "lock";
    lock.dir = "ltr";
    lock.textContent = "🔒 protected";
    bubble.append(lock);
  }
  if (m.reply_markup && m.reply_markup.inline_keyboard && m.reply_markup.inline_keyboard.length) {
    bubble.append(inlineButtons(m, actions));
  }
  const reply = document.createElement("button");
  reply.type = "button";
  reply.className = "reply-btn";
  reply.dir = "ltr";
  reply.title = "Reply";
  reply.setAttribute("aria-label", "Reply");
  reply.textContent = "↩";
  reply.addEventListener("click", () => actions.reply(m));
  bubble.append(reply);
  bubble.addEventListener("dblclick", (event) => {  // as in Telegram Desktop
    if (!event.target.closest("a, button")) actions.reply(m);
  });
  return bubble;
}
