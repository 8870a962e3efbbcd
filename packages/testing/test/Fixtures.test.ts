/**
 * The generated fixtures module must match the files (run `node scripts/generate-fixtures.mjs` after
 * changing fixtures/), and every fixture must be a real certificate the parser reads.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { Corpus, cacertFiles, input, names, url } from "../src/Fixtures.js"
import { files } from "../src/fixtures.generated.js"
import { shared } from "./support.js"

const root = fileURLToPath(new URL("../fixtures/", import.meta.url))
const walk = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

layer(shared)("fixtures", (it) => {
  it("the generated module holds exactly the fixture files, byte for byte", () => {
    const onDisk = walk(root)
      .filter((path) => /\.(pem|der|p7b)$/.test(path))
      .map((path) => relative(root, path))
      .sort()
    expect(Object.keys(files).sort()).toEqual(onDisk)
    for (const name of onDisk) {
      const bytes = readFileSync(join(root, name))
      const data = input(name)
      expect(typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data), name).toEqual(bytes)
      expect(fileURLToPath(url(name))).toBe(join(root, name))
    }
  })

  it.effect("every fixture parses; the named ones are what their names say", () =>
    Effect.gen(function* () {
      const corpus = yield* Corpus
      expect(cacertFiles).toHaveLength(62)
      expect(new Set(corpus.cacerts.map((c) => c.sha256)).size).toBe(62)
      expect(corpus.all("chain")).toHaveLength(2)
      expect(
        corpus
          .all("pkcs7")
          .map((c) => c.sha256)
          .sort()
      ).toEqual(
        corpus
          .all("chain")
          .map((c) => c.sha256)
          .sort()
      )
      expect(corpus.one("rsa").sha256).toBe(corpus.all("chain")[0]!.sha256)
      expect(corpus.one("ec").publicKey.algorithm).toBe("EC")
      expect(corpus.one("ed25519").publicKey.algorithm).toBe("Ed25519")
      expect(corpus.one("ed448").publicKey.algorithm).toBe("Ed448")
      expect(corpus.one("templateOid").template).toMatchObject({
        oid: "1.2.3.4.5.6.7.8.9.0",
        majorVersion: 1
      })
      expect(corpus.one("templateName").template?.name).toBe("DomainController")
      expect(corpus.one("adcsDcDer").template?.name).toBe("DomainController")
      expect(corpus.one("adcsUserDer").template).toMatchObject({ majorVersion: 100, minorVersion: 2 })
      expect(corpus.one("negativeSerial").serial.hex.startsWith("-")).toBe(true)
      expect(corpus.one("rsaPss").signatureAlgorithm.name).toBe("RSASSA-PSS")
      expect(corpus.one("v1").version).toBe(1)
      expect(corpus.one("v4").version).toBe(4)
      expect(corpus.one("notYetValid").notBefore).toBe(Date.UTC(2027, 2, 21, 15, 36, 10))
      expect(corpus.one("expired").notAfter).toBe(Date.UTC(2021, 2, 17, 16, 40, 46))
      expect(corpus.one("manyNames").subject.rfc4514.length).toBeGreaterThan(20_000)
      expect(Object.keys(names)).toHaveLength(18)
    })
  )
})
