import amqplib from "amqplib";
import { describe, expect, inject, test } from "./fixtures.js";
import { rabbitAdmin, vhostUrl } from "./admin.js";

describe(rabbitAdmin.name, () => {
  test("reaches the API with or without its /api path in the URL", async () => {
    const url = inject("rabbitManagementUrl").replace(/\/$/, "");
    for (const managementUrl of [url, `${url}/api`]) {
      const overview = await rabbitAdmin(managementUrl).overview();
      expect(overview.rabbitmq_version).toMatch(/^\d+\.\d+/);
    }
  });

  test("creates a vhost the API's user can connect to, and deletes it", async ({ rabbit }) => {
    const vhost = `${rabbit.vhost}_extra`;
    const url = vhostUrl(inject("amqpUrl"), vhost);
    await rabbit.admin.createVhost(vhost);
    await (await amqplib.connect(url)).close();
    await expect(rabbit.admin.queue(vhost, "none")).rejects.toThrow(/no queue none/);
    await rabbit.admin.deleteVhost(vhost);
    await expect(amqplib.connect(url)).rejects.toThrow();
  });
});

describe(vhostUrl.name, () => {
  test("puts the vhost, encoded, as the URL's path", () => {
    expect(vhostUrl("amqp://u:p@127.0.0.1:5672", "a/b")).toBe("amqp://u:p@127.0.0.1:5672/a%2Fb");
    expect(vhostUrl("amqp://u:p@127.0.0.1:5672/", "v")).toBe("amqp://u:p@127.0.0.1:5672/v");
  });
});
