/**
 * The serve configs' setup file: each test file gets ONE `certory serve` child on a new store of the
 * target's kind (CERTORY_API_TARGET), started before its tests and stopped (store removed) after them.
 */
import { afterAll, beforeAll } from "vitest"
import { ADMIN_TOKEN } from "../support.js"
import { startForFile, stopForFile } from "./Serve.js"

// Generous: tsx compiles the CLI in the child on a loaded 2-core machine; this only catches a hang.
beforeAll(() => startForFile(ADMIN_TOKEN).then(() => undefined), 180_000)
afterAll(() => stopForFile(), 60_000)
