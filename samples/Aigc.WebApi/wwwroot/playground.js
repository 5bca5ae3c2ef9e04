// Aigc playground: fills the model picker from /v1/models, streams a chat completion (fetch + server-sent events),
// and posts thumbs up/down with an optional correction to /v1/feedback. No build step, no dependencies.
"use strict";

const $ = (id) => document.getElementById(id);
let last = null; // { id, model, prompt, response }

async function loadModels() {
  const response = await fetch("/v1/models");
  const body = await response.json();
  const select = $("model");
  select.replaceChildren(...body.data.map((m) => {
    const option = document.createElement("option");
    option.value = m.id;
    option.textContent = m.adapter ? `${m.root} + adapter ${m.adapter} (v${m.version})` : `${m.id} (v${m.version})`;
    return option;
  }));
}

// Reads an OpenAI event stream: "data: {json}" events separated by blank lines, closed by "data: [DONE]".
async function* readEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const data = line.slice(6);
        if (data === "[DONE]") return;
        yield JSON.parse(data);
      }
    }
  }
}

async function send(event) {
  event.preventDefault();
  const prompt = $("prompt").value;
  const model = $("model").value;
  $("answer").textContent = "";
  $("answer").dataset.chunks = "0";
  $("status").textContent = "generating…";
  $("feedback").hidden = true;
  $("send").disabled = true;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        model,
        messages: [{ role: "user", content: prompt }],
        temperature: Number($("temperature").value),
        max_tokens: Number($("max-tokens").value),
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    if (!response.ok) {
      const error = await response.json();
      $("status").textContent = `error ${response.status}: ${error.error.message}`;
      return;
    }

    let id = null, text = "", finish = null, usage = null, chunks = 0;
    for await (const chunk of readEvents(response)) {
      if (chunk.error) { $("status").textContent = `error: ${chunk.error.message}`; return; }
      id = chunk.id;
      usage = chunk.usage ?? usage;
      for (const choice of chunk.choices) {
        if (choice.delta.content) {
          text += choice.delta.content;
          $("answer").textContent = text;
          $("answer").dataset.chunks = String(++chunks); // how many streamed pieces the answer was built from
        }
        finish = choice.finish_reason ?? finish;
      }
    }

    last = { id, model, prompt, response: text };
    $("answer").dataset.completionId = id;
    $("status").textContent = `finish: ${finish}` + (usage ? `, ${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion tokens` : "");
    $("correction").value = "";
    $("feedback-status").textContent = "";
    for (const b of document.querySelectorAll(".thumbs button")) b.classList.remove("chosen");
    $("feedback").hidden = false;
  } finally {
    $("send").disabled = false;
  }
}

async function rate(up, button) {
  if (!last) return;
  const correction = $("correction").value.trim();
  const response = await fetch("/v1/feedback", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      id: `${last.id}-thumbs`, // one thumbs score per answer: clicking again changes nothing (idempotency key)
      trace_id: last.id,
      model: last.model,
      name: "thumbs",
      value: up,
      correction: correction || null,
      prompt: last.prompt,
      response: last.response,
    }),
  });
  const body = await response.json();
  button.classList.add("chosen");
  $("feedback-status").textContent = response.ok
    ? (body.stored ? `feedback stored (${body.id})` : `feedback already stored (${body.id})`)
    : `error ${response.status}: ${body.error.message}`;
}

$("chat").addEventListener("submit", send);
$("thumbs-up").addEventListener("click", (e) => rate(true, e.currentTarget));
$("thumbs-down").addEventListener("click", (e) => rate(false, e.currentTarget));
loadModels().catch((e) => { $("status").textContent = `could not load models: ${e}`; });
