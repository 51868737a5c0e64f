import { describe, expect, test } from "vitest";
import { Address, addressChannel, addressProblem } from "./address.js";

describe("Address", () => {
  test.for([
    "dev:alice",
    "dev:a:b@c",
    "sms:+15551230001",
    "sms:+4930123456",
    "sms:+123456789012345",
    "telegram:4242",
    "telegram:6123456789",
    "slack:U02ABCDEF",
    "slack:W0123ABC",
  ])("%s is an address", (address) => {
    expect(addressProblem(address)).toBeUndefined();
    expect(Address.safeParse(address).success).toBe(true);
  });

  test.for([
    ["alice", "an address is <channel>:<id>"],
    ["email:a@b.c", 'unknown channel "email"'],
    [":alice", 'unknown channel ""'],
    ["Dev:alice", 'channel "Dev" must be lower-case: "dev:"'],
    ["dev:", "a dev address"],
    ["sms:+1234567", "an sms address"],
    ["sms:+0123456789", "an sms address"],
    ["telegram:04242", "a telegram address"],
    ["slack:UABC-1", "a slack address"],
  ] as const)("%s is not: %s…", ([address, problem]) => {
    expect(addressProblem(address)?.slice(0, problem.length)).toBe(problem);
    expect(Address.safeParse(address).error?.issues[0]?.message).toBe(addressProblem(address));
  });
});

describe(addressChannel.name, () => {
  test.for([
    ["sms:+15551230001", "sms"],
    ["TELEGRAM:4242", "telegram"],
    ["dev:x:y", "dev"],
    ["email:a@b.c", undefined],
    ["slack", undefined],
  ] as const)("%s → %j", ([address, channel]) => {
    expect(addressChannel(address)).toBe(channel);
  });
});
