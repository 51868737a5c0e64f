import { describe, expect, test } from "vitest";
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
  deploy:
    description: Deploy
    parameters:
      service: { type: enum, values: [api, web], required: true }
    executor: { kind: builtin, name: demo }
    approval: { approvers: { roles: [ops] }, required: 2 }
  restart:
    description: Restart
    executor: { kind: builtin, name: demo }
    approval: { approvers: { users: [bob, carol] }, confirmCode: true }
`);

const MINUTE = 60_000;

function aClosedApp(runIds: string[], options: AppHarnessOptions = {}) {
  const h = anApp({ runIds, catalog: catalog(), directory: aTeam(), ...options });
  return {
    ...h,
    /** What `from` sends, and the last text it was sent back. */
    async ask(body: string, from: string, providerMessageId?: string) {
      await h.text(body, { from, ...(providerMessageId ? { providerMessageId } : {}) });
      return h.lastAnswer().outbound.find((n) => n.conversation === `dev:${from}`)?.body;
    },
    events: (runId: string) =>
      (h.runs.stored.get(runId)?.events ?? []).map((e) => `${e.type} ${e.actor}`),
  };
}

describe("whoami", () => {
  test("names the person, their roles and every address of theirs", async () => {
    const h = aClosedApp([]);

    expect(await h.ask("whoami", "alice")).toBe(
      "You are Alice (alice), roles dev. Addresses: dev:alice.",
    );
    expect(await h.ask("WHOAMI", "bob-phone")).toBe(
      "You are Bob (bob), roles ops. Addresses: dev:bob, dev:bob-phone.",
    );
    expect(await h.ask("whoami", "erin")).toBe(
      "You are Erin (erin), no roles. Addresses: dev:erin.",
    );
  });
});

describe("pending", () => {
  test("lists the runs waiting for my decision, oldest first; one I approved is no longer among them", async () => {
    const h = aClosedApp(["DEP234", "RST234", "DEM234"]);
    await h.text("run deploy service=api", { from: "alice" });
    h.clock.now += 3 * MINUTE;
    await h.text("run restart", { from: "erin" });
    h.clock.now += 1_000;
    await h.text("run demo", { from: "dave" });

    const both =
      "DEP234 deploy (service=api) from Alice, 3 min ago\nRST234 restart from Erin, just now";
    expect(await h.ask("pending", "bob")).toBe(`${both}\nDEM234 demo from Dave, just now`);
    await h.text("yes DEP234", { from: "bob" });
    expect(await h.ask("pending", "bob")).toBe(
      "RST234 restart from Erin, just now\nDEM234 demo from Dave, just now",
    );
    expect(await h.ask("pending", "carol")).toBe(`${both}\nDEM234 demo from Dave, just now`);
  });

  test("nothing waits for someone who approves nothing, nor for the requester of a run", async () => {
    const h = aClosedApp(["DEP234"]);
    await h.text("run deploy service=web", { from: "alice" });

    expect(await h.ask("pending", "alice")).toBe("Nothing waits for your decision.");
    expect(await h.ask("pending", "erin")).toBe("Nothing waits for your decision.");
  });

  test("shows at most five runs", async () => {
    const h = aClosedApp([]);
    for (let i = 0; i < 7; i++) await h.text("run deploy service=api", { from: "alice" });

    const lines = (await h.ask("pending", "bob"))?.split("\n");
    expect(lines).toEqual(
      ["RUN001", "RUN002", "RUN003", "RUN004", "RUN005"].map(
        (id) => `${id} deploy (service=api) from Alice, just now`,
      ),
    );
  });
});

describe("runs", () => {
  test("lists my latest five runs, newest first, with where each stands", async () => {
    const h = aClosedApp(["DMA234", "DMB234", "DMC234", "DMD234", "DME234", "DMF234", "BOB234"]);
    for (let i = 0; i < 6; i++) {
      await h.text("run demo", { from: "alice" });
      h.clock.now += MINUTE;
    }
    await h.text("run demo", { from: "bob" });
    await h.text("yes DMF234", { from: "alice" });
    await h.text("cancel DME234", { from: "alice" });

    expect(await h.ask("runs", "alice")).toBe(
      [
        "DMF234 demo Dispatching",
        "DME234 demo Cancelled",
        "DMD234 demo AwaitingApproval",
        "DMC234 demo AwaitingApproval",
        "DMB234 demo AwaitingApproval",
      ].join("\n"),
    );
    expect(await h.ask("runs", "erin")).toBe("You have no runs yet.");
  });
});

describe("a bare yes or no", () => {
  test("with one run waiting, approves it exactly as yes <id> would", async () => {
    const h = aClosedApp(["DEP234"]);
    await h.text("run deploy service=api", { from: "alice" });

    expect(await h.ask("yes", "bob")).toBe("Approved by Bob (1 of 2). Run DEP234 needs 1 more.");
    expect(h.lastAnswer()).toMatchObject({ intentType: "ApproveRun", runId: "DEP234" });
    expect(await h.ask("YES", "carol")).toBe('Approved. Starting run DEP234 for job "deploy"…');
    expect(h.events("DEP234").slice(2)).toEqual([
      "ApprovalGiven user:bob",
      "ApprovalGiven user:carol",
      "RunApproved user:carol",
      "ExecutionDispatched system",
    ]);
    expect(h.to("dev:alice").at(-1)).toBe(
      'Run DEP234 for job "deploy" was approved by Bob and Carol.',
    );
  });

  test("a bare no denies the one run waiting", async () => {
    const h = aClosedApp(["DEP234"]);
    await h.text("run deploy service=api", { from: "alice" });

    expect(await h.ask("no", "carol")).toBe('Denied. Run DEP234 for job "deploy" will not run.');
    expect(h.runs.stored.get("DEP234")?.status).toBe("Denied");
    expect(h.events("DEP234").at(-1)).toBe("RunDenied user:carol");
  });

  test("with none waiting, or several, decides nothing", async () => {
    const h = aClosedApp(["DEP234", "DEP567"]);

    expect(await h.ask("yes", "bob")).toBe("Nothing waits for your decision.");
    await h.text("run deploy service=api", { from: "alice" });
    await h.text("run deploy service=web", { from: "alice" });
    expect(await h.ask("yes", "bob")).toBe(
      "Several runs wait for your decision: DEP234, DEP567. Reply YES <id>.",
    );
    expect(await h.ask("no", "bob")).toBe(
      "Several runs wait for your decision: DEP234, DEP567. Reply NO <id>.",
    );
    expect(h.events("DEP234")).toHaveLength(2);
    expect(h.events("DEP567")).toHaveLength(2);
  });

  test("to a run that needs a confirm code, asks for the code", async () => {
    const h = aClosedApp(["RST234"]);
    await h.text("run restart", { from: "alice" });

    expect(await h.ask("yes", "bob")).toBe(
      "Run RST234 needs your confirm code: reply YES RST234 <code>.",
    );
    expect(h.runs.stored.get("RST234")?.status).toBe("AwaitingApproval");
  });

  test("is applied in its place in the queue: a command about its run sent after it waits for it", async () => {
    const h = aClosedApp(["DEP234"]);
    await h.text("run deploy service=api", { from: "alice" });

    await Promise.all([
      h.text("yes", { from: "bob" }),
      h.text("no DEP234", { from: "carol" }),
      h.text("status DEP234", { from: "alice" }),
    ]);

    expect(h.events("DEP234").slice(2)).toEqual(["ApprovalGiven user:bob", "RunDenied user:carol"]);
    expect(h.to("dev:bob")).toEqual(["Approved by Bob (1 of 2). Run DEP234 needs 1 more."]);
    expect(h.to("dev:alice").at(-1)).toMatch(/^Run DEP234 \(job "deploy"\) is Denied\./);
  });

  test("redelivered after a crash that followed its write, decides the same run once", async () => {
    let crash = true;
    const h = aClosedApp(["DEP234"], {
      runs: (store) => ({
        ...store,
        async apply(...args) {
          const applied = await store.apply(...args);
          if (applied && crash) {
            crash = false;
            throw new Error("crashed after the write");
          }
          return applied;
        },
      }),
    });
    await h.text("run deploy service=api", { from: "alice" });

    const delivery = { from: "bob", providerMessageId: "p1", messageId: "m1" };
    await expect(h.text("yes", delivery)).rejects.toThrow("crashed after the write");
    // Redelivered by the broker: the same message, the same id.
    await h.text("yes", delivery);
    expect(h.lastAnswer()).toMatchObject({ intentType: "ApproveRun", runId: "DEP234" });
    expect(h.lastAnswer().outbound.map((n) => n.body)).toContain(
      "Approved by Bob (1 of 2). Run DEP234 needs 1 more.",
    );

    expect(h.events("DEP234").slice(2)).toEqual(["ApprovalGiven user:bob"]);
  });
});

describe("the people commands without a directory (open mode)", () => {
  test("say they need one; a bare yes or no answers with its usage as before", async () => {
    const h = anApp();
    const needs = "That command needs a directory of people; TextOps runs without one here.";

    for (const command of ["whoami", "pending", "runs", "link", "link 123456"]) {
      await h.text(command);
      expect(h.bodies().at(-1)).toBe(needs);
    }
    await h.text("yes");
    expect(h.bodies().at(-1)).toBe(
      "Sorry, I did not understand that (usage: yes <runId> [<confirm code>]). Send HELP for the commands.",
    );
    await h.text("no");
    expect(h.bodies().at(-1)).toBe(
      "Sorry, I did not understand that (usage: no <runId>). Send HELP for the commands.",
    );
  });
});
