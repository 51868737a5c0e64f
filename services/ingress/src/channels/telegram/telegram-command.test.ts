import { describe, expect, test } from "vitest";
import { inboundText } from "./telegram-command.js";

describe(inboundText.name, () => {
  test.each([
    ["status K7Q2MX", "status K7Q2MX"],
    ["/status K7Q2MX", "status K7Q2MX"],
    ["/status@textops_bot K7Q2MX", "status K7Q2MX"],
    ["/status@TextOps_Bot K7Q2MX", "status K7Q2MX"],
    ["/help@textops_bot", "help"],
    ["/help", "help"],
    ["/start", "help"],
    ["/start@textops_bot", "help"],
    ["/start deep-link-payload", "help"],
    ["/run deploy env=prod\nnow", "run deploy env=prod\nnow"],
    ["/var/log is full", "/var/log is full"],
    ["/ status", "/ status"],
    ["yes K7Q2MX", "yes K7Q2MX"],
    ["", ""],
  ])("%j reads %j", (text, expected) => {
    expect(inboundText(text, "textops_bot")).toBe(expected);
  });

  test("a command addressed to another bot is not for TextOps", () => {
    expect(inboundText("/status@other_bot K7Q2MX", "textops_bot")).toBeNull();
  });
});
