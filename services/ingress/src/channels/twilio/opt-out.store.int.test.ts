import { describe, expect, test } from "@textops/testing";
import { createSmsOptOutStore, inMemorySmsOptOuts, type SmsOptOuts } from "./opt-out.store.js";

const NUMBER = "+15551230001";
const at = (second: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, second));

/** The rules both implementations keep. */
async function behavesAsOptOuts(optOuts: SmsOptOuts) {
  expect(await optOuts.isOptedOut(NUMBER)).toBe(false);
  await optOuts.optIn(NUMBER, at(1));
  expect(await optOuts.isOptedOut(NUMBER)).toBe(false);
  await optOuts.optOut(NUMBER, at(2));
  await optOuts.optOut(NUMBER, at(2));
  expect(await optOuts.isOptedOut(NUMBER)).toBe(true);
  expect(await optOuts.isOptedOut("+15551230002")).toBe(false);
  // A late retry of the older START changes nothing.
  await optOuts.optIn(NUMBER, at(1));
  expect(await optOuts.isOptedOut(NUMBER)).toBe(true);
  await optOuts.optIn(NUMBER, at(3));
  expect(await optOuts.isOptedOut(NUMBER)).toBe(false);
  // An opt-out wins a tie.
  await optOuts.optOut(NUMBER, at(3));
  expect(await optOuts.isOptedOut(NUMBER)).toBe(true);
}

describe(createSmsOptOutStore.name, () => {
  test("keeps the latest choice per number, repeats and late events changing nothing", async ({
    mongo,
  }) => {
    await behavesAsOptOuts(createSmsOptOutStore(mongo.db));
  });

  test("stores one document per number, its _id the number, with both times", async ({ mongo }) => {
    const optOuts = createSmsOptOutStore(mongo.db);
    await optOuts.optOut(NUMBER, at(2));
    await optOuts.optIn(NUMBER, at(5));
    await optOuts.optOut(NUMBER, at(4));

    expect(await mongo.db.collection("sms_opt_outs").find().toArray()).toEqual([
      { _id: NUMBER, optedOutAt: at(4), optedInAt: at(5) },
    ]);
  });
});

describe(inMemorySmsOptOuts.name, () => {
  test("keeps the same rules as the Mongo store", async () => {
    await behavesAsOptOuts(inMemorySmsOptOuts());
  });
});
