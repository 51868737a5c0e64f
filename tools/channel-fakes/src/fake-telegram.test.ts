import { afterEach, describe, expect, test } from "vitest";
import { startFakeTelegram, type FakeTelegram } from "./fake-telegram.js";

const TOKEN = "42:fake-token";
let telegram: FakeTelegram | undefined;

afterEach(async () => {
  await telegram?.close();
  telegram = undefined;
});

async function call(method: string, body: URLSearchParams | object, token = TOKEN) {
  telegram ??= await startFakeTelegram({ token: TOKEN });
  const form = body instanceof URLSearchParams;
  const response = await fetch(`${telegram.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json" },
    body: form ? body.toString() : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe(startFakeTelegram.name, () => {
  test("takes form bodies, objects in them as JSON", async () => {
    const keyboard = { inline_keyboard: [[{ text: "Yes", callback_data: "yes K7Q2MX" }]] };
    const form = new URLSearchParams({
      chat_id: "7",
      text: "hi",
      reply_markup: JSON.stringify(keyboard),
    });

    const answer = await call("sendMessage", form);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      result: { message_id: 1, chat: { id: 7 }, text: "hi" },
    });
    expect(telegram?.messages(7)).toEqual([
      { message_id: 1, chatId: "7", text: "hi", reply_markup: keyboard },
    ]);
  });

  test("a wrong token is Telegram's 404 and is not recorded", async () => {
    const answer = await call("getMe", {}, "42:wrong");

    expect(answer).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: "Not Found" },
    });
    expect(telegram?.calls()).toEqual([]);
  });

  test("failNext answers the next calls as Telegram refuses, then it works again", async () => {
    telegram = await startFakeTelegram({ token: TOKEN });
    telegram.failNext(1, {
      status: 429,
      description: "Too Many Requests: retry after 3",
      retryAfterSeconds: 3,
    });

    expect(await call("sendMessage", { chat_id: 7, text: "a" })).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 3",
        parameters: { retry_after: 3 },
      },
    });
    expect((await call("sendMessage", { chat_id: 7, text: "a" })).status).toBe(200);
    expect(telegram.calls("sendMessage")).toHaveLength(2);
  });

  test("an edit of nothing new is 'message is not modified'", async () => {
    await call("sendMessage", { chat_id: 7, text: "a" });

    const answer = await call("editMessageText", { chat_id: 7, message_id: 1, text: "a" });

    expect(answer.status).toBe(400);
    expect(answer.body.description).toMatch(/^Bad Request: message is not modified/);
  });
});
