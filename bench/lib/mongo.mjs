// The bench's databases on the MongoDB-compatible server.
import { MongoClient } from "mongodb";
import { RUN_ID_ALPHABET } from "@textops/contracts";

/**
 * A server that stops answering fails the bench's own commands after two
 * minutes (the longest is storing 1,000 copies of a run) instead of hanging.
 * @param {string} url
 */
export async function connectMongo(url) {
  return MongoClient.connect(url, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 120_000 });
}

/** Drops every database whose name starts with `prefix`; returns their names. */
export async function dropDatabases(client, prefix) {
  const { databases } = await client.db("admin").admin().listDatabases({ nameOnly: true });
  const mine = databases.map((d) => d.name).filter((name) => name.startsWith(prefix));
  for (const name of mine) await client.db(name).dropDatabase();
  return mine;
}

/** The n-th run id: 6 characters of the run-id alphabet, distinct for n < 32^6. */
export function nthRunId(n) {
  let id = "";
  let rest = n;
  for (let i = 0; i < 6; i += 1) {
    id = RUN_ID_ALPHABET[rest % RUN_ID_ALPHABET.length] + id;
    rest = Math.floor(rest / RUN_ID_ALPHABET.length);
  }
  return id;
}
