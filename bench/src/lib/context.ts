// What every scenario is handed: the run's settings, its connections and processes.
import type { MongoClient } from "mongodb";
import type { Bus } from "./bus.js";
import type { BenchConfig } from "./config.js";
import type { MemoryMb, PidGroups } from "./proc.js";
import type { Progress } from "./progress.js";
import type { ServiceManager, ServiceProcess } from "./services.js";

export interface BenchContext {
  config: BenchConfig;
  bus: Bus;
  mongo: MongoClient;
  services: ServiceManager;
  progress: Progress;
  /** The bench's vhost. */
  amqpUrl: string;
  mongoUrl: string;
  /** The baselines' database. */
  db: string;
  /** A database name inside the bench's namespace. */
  dbName(suffix: string): string;
  /** The servers' processes: `database` and `rabbitmq`. */
  serverPids: PidGroups;
  /** Keeps the memory of a service process under `key` (a later record replaces it). */
  recordMemory(
    key: string,
    service: string,
    when: string,
    proc: ServiceProcess | null | undefined,
  ): MemoryMb | null;
}
