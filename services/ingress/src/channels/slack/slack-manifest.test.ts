import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { SLACK_EVENTS_PATH } from "./slack-app.js";

/** The manifest a person pastes to create TextOps's Slack app (README, "Connecting a real Slack app"). */
const manifest = parse(
  readFileSync(new URL("../../../../../config/slack-app-manifest.yaml", import.meta.url), "utf8"),
) as {
  features: {
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    slash_commands: { command: string; url: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
};

describe("the Slack app manifest in config/", () => {
  test("sends events, /textops and button presses to ingress's one request URL", () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((command) => command.url),
    ];
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([
      "/textops",
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  test("subscribes to the events ingress reads and asks for the scopes its calls need", () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      "app_mention",
      "message.im",
    ]);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(["app_mentions:read", "chat:write", "commands", "im:history"]),
    );
    // People write to the app in its Messages tab.
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });
});
