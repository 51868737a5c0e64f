import { describe, expect, test } from "vitest";
import type { InboxStore } from "./ports.js";
import { anApp, type AppHarnessOptions } from "../testing/app-harness.js";
import { catalogFrom } from "../testing/test-catalog.js";
import { aTeam } from "../testing/test-directory.js";

const catalog = () =>
  catalogFrom(`
jobs:
  demo:
    description: Demo
    executor: { kind: builtin, name: demo }
    approval: { allowSelfApproval: true }
`);

const MINUTE = 60_000;
const NEW = "alice-phone";

function aClosedApp(options: AppHarnessOptions = {}) {
  const h = anApp({ catalog: catalog(), directory: aTeam(), ...options });
  const { to } = h;
  return {
    ...h,
    /** What `from` sends, and the last text it was sent back. */
    async ask(body: string, from: string) {
      await h.text(body, { from });
      return to(`dev:${from}`).at(-1);
    },
    /** Alice asks for a code on her known address; the code she was told. */
    async codeForAlice() {
      const told = await this.ask("link", "alice");
      const code = /Your link code is (\d{6}) /.exec(told ?? "")?.[1];
      if (code === undefined) throw new Error(`no code in ${told}`);
      return code;
    },
    changes: () => h.identities.changes.map((c) => `${c.kind} ${c.personId} from ${c.from}`),
    tries: () => h.identities.storedCodes.get("alice")?.wrongTries.length,
  };
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

/** The first completion of this message's inbox entry crashes before it is made: its answer is not kept. */
function crashingBeforeComplete(providerMessageId: string) {
  let crashed = false;
  return (store: InboxStore): InboxStore => ({
    ...store,
    complete(key, ...rest) {
      if (!crashed && key.providerMessageId === providerMessageId) {
        crashed = true;
        return Promise.reject(new Error("crashed before completing"));
      }
      return store.complete(key, ...rest);
    },
  });
}

describe("linking an address", () => {
  test("a code from a known address links a new one, which then acts as the person; the old address is told", async () => {
    const h = aClosedApp();

    const code = await h.codeForAlice();
    expect(h.to("dev:alice")).toEqual([
      `Your link code is ${code} (valid 10 minutes). Send LINK ${code} from the address to link.`,
    ]);
    expect(await h.ask(`link ${code}`, NEW)).toBe(`Linked dev:${NEW} to Alice.`);
    expect(h.to("dev:alice").at(-1)).toBe(
      `dev:${NEW} is now linked to you. If this was not you, tell an admin.`,
    );

    expect(await h.ask("whoami", NEW)).toBe(
      `You are Alice (alice), roles dev. Addresses: dev:alice, dev:${NEW} (linked).`,
    );
    await h.text("run demo", { from: NEW });
    const [run] = h.runs.stored.values();
    expect(run).toMatchObject({ requestedBy: "alice", conversationId: `dev:${NEW}` });
    const id = run?.runId ?? "";
    // Notices to Alice still go to the address the directory gives.
    expect(h.to("dev:alice").at(-1)).toBe(
      `Alice asks to run job "demo", run ${id}. Reply YES ${id} to approve or NO ${id} to deny.`,
    );
    expect(await h.ask("yes", NEW)).toBe(`Approved. Starting run ${id} for job "demo"…`);
    expect(h.changes()).toEqual([
      "link-code-issued alice from dev:alice",
      `address-linked alice from dev:${NEW}`,
    ]);
  });

  test("the code is stored only hashed, and the inbox keeps it masked", async () => {
    const h = aClosedApp();

    const code = await h.codeForAlice();

    expect(JSON.stringify([...h.identities.storedCodes.values()])).not.toContain(code);
    expect(JSON.stringify([...h.inbox.stored.values()])).not.toContain(code);
    expect(JSON.stringify([...h.inbox.stored.values()])).toContain("Your link code is ******");
  });

  test("a wrong code is counted; after five the code is void", async () => {
    const h = aClosedApp();
    const code = await h.codeForAlice();

    for (let i = 0; i < 5; i++) {
      expect(await h.ask(`link ${wrong(code)}`, `stranger${i}`)).toBe(
        "That link code is not right.",
      );
    }
    expect(h.tries()).toBe(5);
    expect(await h.ask(`link ${code}`, NEW)).toBe(
      "That code is no longer valid; send LINK again from a known address.",
    );

    expect(h.identities.links.size).toBe(0);
    expect(h.changes().at(-1)).toBe("link-code-voided alice from dev:stranger4");
    const fresh = await h.codeForAlice();
    expect(await h.ask(`link ${fresh}`, NEW)).toBe(`Linked dev:${NEW} to Alice.`);
  });

  test("a code expires after ten minutes", async () => {
    const h = aClosedApp();
    const code = await h.codeForAlice();

    h.clock.now += 10 * MINUTE;

    expect(await h.ask(`link ${code}`, NEW)).toBe(
      "That code is no longer valid; send LINK again from a known address.",
    );
    expect(h.identities.links.size).toBe(0);
  });

  test("a code links one address; a new link replaces the code", async () => {
    const h = aClosedApp();
    const first = await h.codeForAlice();
    const second = await h.codeForAlice();

    expect(await h.ask(`link ${first}`, NEW)).toBe("That link code is not right.");
    expect(await h.ask(`link ${second}`, NEW)).toBe(`Linked dev:${NEW} to Alice.`);
    expect(await h.ask(`link ${second}`, "alice-tablet")).toBe(
      "That code is no longer valid; send LINK again from a known address.",
    );
  });

  test("an address of the directory, or one already linked, is not linked again", async () => {
    const h = aClosedApp();
    const code = await h.codeForAlice();

    expect(await h.ask(`link ${code}`, "bob")).toBe("That address already belongs to someone.");
    expect(await h.ask(`link ${code}`, NEW)).toBe(`Linked dev:${NEW} to Alice.`);
    const again = await h.codeForAlice();
    expect(await h.ask(`link ${again}`, NEW)).toBe("That address already belongs to someone.");
    expect(h.identities.links.get(`dev:${NEW}`)?.personId).toBe("alice");
  });

  test("a wrong code delivered twice counts once", async () => {
    const h = aClosedApp();
    const code = await h.codeForAlice();
    const delivery = { from: "stranger", providerMessageId: "p1", messageId: "m1" };

    await h.text(`link ${wrong(code)}`, delivery);
    await h.text(`link ${wrong(code)}`, delivery);

    expect(h.tries()).toBe(1);
    expect(h.lastAnswer()).toMatchObject({ duplicate: true });
  });

  test("a wrong code redelivered after a crash before its answer was kept counts once", async () => {
    const h = aClosedApp({ inbox: crashingBeforeComplete("p1") });
    const code = await h.codeForAlice();
    const delivery = { from: "stranger", providerMessageId: "p1", messageId: "m1" };

    await expect(h.text(`link ${wrong(code)}`, delivery)).rejects.toThrow("crashed");
    await h.text(`link ${wrong(code)}`, delivery);

    expect(h.tries()).toBe(1);
    expect(h.to("dev:stranger")).toEqual(["That link code is not right."]);
  });

  test("a right code redelivered after a crash before its answer was kept links once, and says so", async () => {
    const h = aClosedApp({ inbox: crashingBeforeComplete("p1") });
    const code = await h.codeForAlice();
    const delivery = { from: NEW, providerMessageId: "p1", messageId: "m1" };

    await expect(h.text(`link ${code}`, delivery)).rejects.toThrow("crashed");
    await h.text(`link ${code}`, delivery);

    expect(h.to(`dev:${NEW}`)).toEqual([`Linked dev:${NEW} to Alice.`]);
    expect(h.to("dev:alice").slice(1)).toEqual([
      `dev:${NEW} is now linked to you. If this was not you, tell an admin.`,
    ]);
    expect([...h.identities.links.keys()]).toEqual([`dev:${NEW}`]);
    expect(h.changes().filter((c) => c.startsWith("address-linked"))).toHaveLength(1);
  });

  test("link redelivered after a crash before its answer was kept tells one code, the one that works", async () => {
    const h = aClosedApp({ inbox: crashingBeforeComplete("p1") });
    const delivery = { from: "alice", providerMessageId: "p1", messageId: "m1" };

    await expect(h.text("link", delivery)).rejects.toThrow("crashed");
    await h.text("link", delivery);

    const told = h.to("dev:alice");
    expect(told).toHaveLength(1);
    const code = /Your link code is (\d{6}) /.exec(told[0] ?? "")?.[1] ?? "";
    expect(await h.ask(`link ${code}`, NEW)).toBe(`Linked dev:${NEW} to Alice.`);
    expect(h.changes()[0]).toBe("link-code-issued alice from dev:alice");
    expect(h.changes().filter((c) => c.startsWith("link-code-issued"))).toHaveLength(1);
  });
});

describe("an unknown address", () => {
  test("may send link <code>, and nothing else", async () => {
    const h = aClosedApp();
    const code = await h.codeForAlice();

    expect(await h.ask("whoami", "mallory")).toBe("This address is not registered with TextOps.");
    await h.text("link", { from: "mallory" });
    await h.text("run demo", { from: "mallory" });
    await h.text("pending", { from: "mallory" });
    expect(h.to("dev:mallory")).toEqual(["This address is not registered with TextOps."]);
    expect(h.runs.stored.size).toBe(0);

    expect(await h.ask(`link ${wrong(code)}`, "mallory")).toBe("That link code is not right.");
    expect(await h.ask(`link ${code}`, "mallory")).toBe("Linked dev:mallory to Alice.");
  });
});
