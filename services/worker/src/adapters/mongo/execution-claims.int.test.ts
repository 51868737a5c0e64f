import { describe, expect, test } from "@textops/testing";
import { createExecutionClaims } from "./execution-claims.js";

describe(createExecutionClaims.name, () => {
  test("an attempt is claimed once, whoever asks and however often", async ({ mongo }) => {
    const claims = createExecutionClaims(mongo.db);

    const results = await Promise.all([
      claims.claim("K7Q2MX", 1, "w1"),
      claims.claim("K7Q2MX", 1, "w2"),
      claims.claim("K7Q2MX", 1, "w1"),
    ]);

    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
    expect(await claims.claim("K7Q2MX", 2, "w2")).toBe("claimed");
  });
});
