import { ConfigError, configLoader } from "@textops/runtime";
import { describe, expect, test } from "vitest";
import { slackSettings, slackVariables } from "./slack-config.js";

const load = configLoader(slackVariables);
const TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

describe(slackSettings.name, () => {
  test("without a token and a signing secret the channel is off and says what it needs", () => {
    expect(slackSettings(load({}))).toEqual({
      on: false,
      missing: ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"],
    });
    expect(slackSettings(load({ SLACK_SIGNING_SECRET: SECRET }))).toEqual({
      on: false,
      missing: ["SLACK_BOT_TOKEN"],
    });
  });

  test("with both it is on, with Slack's API URL", () => {
    const config = load({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET });

    expect(slackSettings(config)).toEqual({
      on: true,
      token: TOKEN,
      signingSecret: SECRET,
      apiUrl: "https://slack.com/api/",
    });
  });

  test.each([
    ["http://127.0.0.1:4013/api", "http://127.0.0.1:4013/api/"],
    ["http://127.0.0.1:4013/api/", "http://127.0.0.1:4013/api/"],
  ])("the API URL %s ends with one slash", (given, apiUrl) => {
    const config = load({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: given,
    });

    expect(slackSettings(config)).toMatchObject({ apiUrl });
  });

  test.each([
    ["SLACK_BOT_TOKEN", "xoxp-a-user-token-0123"],
    ["SLACK_BOT_TOKEN", "1234:not-slack"],
    ["SLACK_SIGNING_SECRET", "has spaces in it"],
  ])("a bad %s stops the service without showing its value", (name, value) => {
    const loading = () => load({ [name]: value });

    expect(loading).toThrow(ConfigError);
    expect(loading).toThrow(name);
    expect(loading).not.toThrow(value);
  });

  test("an API URL that is no http(s) URL stops the service", () => {
    expect(() => load({ SLACK_API_URL: "ftp://slack.example/api/" })).toThrow("SLACK_API_URL");
  });
});
