import { RequestClient } from "./twilio-sdk.js";

/** Where the SDK sends every call: api.twilio.com, or an edge/region host under it. */
const TWILIO_API = /^https:\/\/api(?:\.[\w-]+)*\.twilio\.com(?=\/|$)/;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Twilio answered 429. The SDK's RestException drops the response's headers,
 * so the client throws this one instead, with Retry-After.
 */
export class TwilioThrottled extends Error {
  override readonly name = "TwilioThrottled";
  readonly status = 429;
  constructor(
    message: string,
    readonly code: number | undefined,
    /** The Retry-After header as sent, if any. */
    readonly retryAfter: string | undefined,
  ) {
    super(message);
  }
}

function throttled(response: { body: unknown; headers: unknown }): TwilioThrottled {
  let body = response.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      body = undefined;
    }
  }
  const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
  const headers = (response.headers ?? {}) as Record<string, unknown>;
  const retryAfter = headers["retry-after"];
  return new TwilioThrottled(
    typeof message === "string" ? message : "Too Many Requests",
    typeof code === "number" ? code : undefined,
    typeof retryAfter === "string" ? retryAfter : undefined,
  );
}

/**
 * The SDK's HTTP client, sending to `apiUrl` instead of https://api.twilio.com
 * (the SDK has no base-URL option; with the default URL nothing changes), and
 * turning a 429 into TwilioThrottled. It never retries by itself.
 */
export class ApiUrlRequestClient extends RequestClient {
  private readonly apiUrl: string;

  constructor(apiUrl: string) {
    super({ timeout: REQUEST_TIMEOUT_MS, autoRetry: false });
    this.apiUrl = apiUrl.replace(/\/+$/, "");
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = opts.uri.replace(TWILIO_API, this.apiUrl);
    const response = await super.request({ ...opts, uri });
    if (response.statusCode === 429) throw throttled(response);
    return response;
  }
}
