// The two phones of the demo page. Each plays one user against the emulator's control API
// (/_emulator/...) and draws what Telegram would show: the chat, the reply keyboard under
// the input field, the answers to tapped buttons (a toast, or an alert to dismiss), and the
// message a reply is for.
import { bubbleOf } from "./render.js";

const phones = {};
const TOAST_MS = 3500;
const ANSWER_WAIT_MS = 15000;  // Telegram stops waiting for an answer after about 15 s

function post(path, body) {
  return fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(id) {
  const root = document.getElementById(id);
  const $ = (selector) => root.querySelector(selector);
  const select = $("select");
  const phone = {
    id, select, chat: $(".chat"), input: $("form input"), toast: $(".toast"), replying: $(".replying"),
    kbd: $(".kbd"), toggle: $(".kbd-toggle"), alert: $(".alert"), last: "", replyTo: null, toastTimer: 0,
    user: () => Number(select.value),
    lang: () => select.selectedOptions[0].dataset.lang,
  };
  phones[id] = phone;
  $("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = phone.input.value.trim();
    if (!text) return;
    phone.input.value = "";
    await send(phone, {text});
  });
  root.querySelectorAll("button[data-kind]").forEach((button) => button.addEventListener("click",
    () => send(phone, {kind: button.dataset.kind})));
  phone.input.addEventListener("keydown", (event) => { if (event.key === "Escape") setReply(phone, null); });
  $(".cancel-reply").addEventListener("click", () => setReply(phone, null));
  phone.toggle.addEventListener("click", async () => {
    await post("/_emulator/keyboard/shown", {user_id: phone.user(), shown: phone.kbd.hidden});
    refresh(phone);
  });
  $(".alert-ok").addEventListener("click", () => phone.alert.close());
  select.addEventListener("change", () => { phone.last = ""; setReply(phone, null); refresh(phone); });
}

// A message of the user; a reply to the message chosen with "↩ Reply", if any.
async function send(phone, body) {
  const message = {user_id: phone.user(), language_code: phone.lang(), ...body};
  if (phone.replyTo) message.reply_to = phone.replyTo.message_id;
  setReply(phone, null);
  await post("/_emulator/message", message);
  refresh(phone);
}

function setReply(phone, m) {
  phone.replyTo = m;
  phone.replying.hidden = !m;
  if (!m) return;
  phone.replying.querySelector(".quote-text").textContent =
    "↩ Reply to: " + (m.text || m.caption || m.kind).slice(0, 80);
  phone.input.focus();
}

// A tap on an inline button; the bot's answer, if it has text, shows as Telegram shows it.
async function press(phone, m, button) {
  const response = await post("/_emulator/press", {user_id: phone.user(), message_id: m.message_id, data: button.callback_data});
  refresh(phone);
  const update = await response.json();
  const query = update.callback_query;
  if (!query) return;
  const deadline = Date.now() + ANSWER_WAIT_MS;
  while (Date.now() < deadline) {
    const response = await fetch(`/_emulator/callback_answer/${encodeURIComponent(query.id)}`);
    const answer = await response.json();
    if (answer.answered) {
      if (answer.text) (answer.show_alert ? showAlert : showToast)(phone, answer.text);
      return;
    }
    await sleep(150);
  }
}

function showToast(phone, text) {
  phone.toast.textContent = text;
  phone.toast.hidden = false;
  clearTimeout(phone.toastTimer);
  phone.toastTimer = setTimeout(() => { phone.toast.hidden = true; }, TOAST_MS);
}

function showAlert(phone, text) {  // a modal: nothing else can be tapped until OK
  phone.alert.querySelector(".alert-text").textContent = text;
  if (!phone.alert.open) phone.alert.showModal();
}

function drawKeyboard(phone, keyboard) {
  phone.toggle.hidden = !keyboard;
  phone.input.placeholder = (keyboard && keyboard.placeholder) || "Message";
  phone.kbd.hidden = !keyboard || keyboard.hidden;
  phone.kbd.replaceChildren();
  if (!keyboard) return;
  keyboard.rows.forEach((row, r) => {
    const line = document.createElement("div");
    line.className = "row";
    row.forEach((b, c) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dir = "auto";
      button.textContent = b.text;
      button.addEventListener("click", async () => {
        await post("/_emulator/keyboard", {user_id: phone.user(), row: r, column: c, language_code: phone.lang()});
        refresh(phone);
      });
      line.append(button);
    });
    phone.kbd.append(line);
  });
}

function drawEmpty(phone) {  // a chat never started: Telegram's START button
  const empty = document.createElement("div");
  empty.className = "empty";
  empty.textContent = "No messages here yet.";
  const start = document.createElement("button");
  start.type = "button";
  start.textContent = "START";
  start.addEventListener("click", () => send(phone, {text: "/start"}));
  empty.append(start);
  phone.chat.append(empty);
}

function render(phone, screen) {
  const key = JSON.stringify(screen);
  if (key === phone.last) return;
  phone.last = key;
  const chat = phone.chat;
  const atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 30;
  chat.replaceChildren();
  const actions = {
    fileUrl: (m) => `/_emulator/file/${phone.user()}/${m.message_id}`,
    press: (m, b) => press(phone, m, b),
    command: (text) => send(phone, {text}),
    reply: (m) => setReply(phone, m),
  };
  for (const m of screen.messages) chat.append(bubbleOf(m, actions));
  if (!screen.messages.length) drawEmpty(phone);
  drawKeyboard(phone, screen.keyboard);
  if (atBottom) chat.scrollTop = chat.scrollHeight;
}

async function refresh(phone) {
  try {
    const response = await fetch(`/_emulator/screen/${phone.user()}`);
    render(phone, await response.json());
  } catch (error) { /* the demo is stopping */ }
}

setup("client");
setup("staff");
const refreshAll = () => Object.values(phones).forEach(refresh);
setInterval(refreshAll, 700);
refreshAll();
