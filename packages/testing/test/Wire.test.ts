/**
 * The MIM CM and Huawei wire shapes, derived from real certificates and checked against what openssl
 * reports for the same files (values noted beside each expectation).
 */
import { Certificate as C, Huawei, Ids, MimCm, Pem } from "@certory/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { Corpus, input, names } from "../src/Fixtures.js"
import { shared } from "./support.js"

const bindingFor = (
  certificate: C.Certificate,
  fields: Partial<ConstructorParameters<typeof C.Binding>[0]> = {}
) =>
  C.OwnerCertificate.make({
    certificate,
    binding: C.Binding.make({
      certificateId: Ids.CertificateId.make("0123456789abcdef0123456789abcdef"),
      owner: Ids.SmartCardRef.make({
        id: Schema.decodeSync(Ids.Guid)("5BADFEA3-DE31-4837-99F9-8249515A5473")
      }),
      sha256: certificate.sha256,
      isKeyHistory: false,
      archivedOnCa: false,
      certificateType: 1,
      origin: "native",
      use: "signing",
      source: "upload",
      boundBy: "admin",
      boundAt: 0,
      ...fields
    })
  })

const base64Body = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")

layer(shared)("wire formats", (it) => {
  describe("MIM CM X509ClmCertificate", () => {
    it.effect("keys in Microsoft's order; serial as Windows shows it; SHA-1 thumbprint; template name", () =>
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const dc = corpus.one("templateName")
        const wire = MimCm.fromOwnerCertificate(bindingFor(dc, { isKeyHistory: true, certificateType: 3 }))
        const json = JSON.stringify(Schema.encodeSync(MimCm.X509ClmCertificate)(wire))
        // openssl: serial=35000000028BBDD10EE4F6E8D4000000000002, SHA-1 8B:E1:51:...:D5:10
        expect(json).toBe(
          '{"IsKeyHistory":true,"ArchivedOnCa":false,"CertificateType":3,"TemplateCommonName":"DomainController",' +
            '"SerialNumber":"35000000028BBDD10EE4F6E8D4000000000002","Thumbprint":"8BE1514506A5F9D3B567765CFCA44F5DF742D510"}'
        )
      })
    )

    it.effect(
      "TemplateCommonName: the name, else the template OID, else null; negative serials keep their bytes",
      () =>
        Effect.gen(function* () {
          const corpus = yield* Corpus
          expect(MimCm.fromOwnerCertificate(bindingFor(corpus.one("templateOid"))).TemplateCommonName).toBe(
            "1.2.3.4.5.6.7.8.9.0"
          )
          const adcsUser = MimCm.fromOwnerCertificate(bindingFor(corpus.one("adcsUserDer")))
          expect(adcsUser.TemplateCommonName).toMatch(/^1\.3\.6\.1\.4\.1\.311\.21\.8\./)
          expect(MimCm.fromOwnerCertificate(bindingFor(corpus.one("ec"))).TemplateCommonName).toBeNull()
          // openssl: serial=-04316693ED, i.e. the two's-complement content bytes FB CE 99 6C 13.
          const negative = MimCm.fromOwnerCertificate(bindingFor(corpus.one("negativeSerial")))
          expect(negative.SerialNumber).toBe("FBCE996C13")
          expect(negative.Thumbprint).toBe("07D52806C132F0DCB52CA62CCE5E5E00D3FA811D")
        })
    )

    it.effect(
      "TemplateCommonName order: the certificate's name, else the catalog's, else the OID, else null",
      () =>
        Effect.gen(function* () {
          const corpus = yield* Corpus
          const named = bindingFor(corpus.one("templateName"))
          const oidOnly = bindingFor(corpus.one("templateOid"))
          const none = bindingFor(corpus.one("ec"))
          // A catalog name never overrides the name the certificate carries.
          expect(MimCm.fromOwnerCertificate(named, "Catalog name").TemplateCommonName).toBe(
            "DomainController"
          )
          expect(MimCm.fromOwnerCertificate(oidOnly, "Smartcard Logon v2").TemplateCommonName).toBe(
            "Smartcard Logon v2"
          )
          expect(MimCm.fromOwnerCertificate(oidOnly, undefined).TemplateCommonName).toBe(
            "1.2.3.4.5.6.7.8.9.0"
          )
          // Without a template there is nothing to name.
          expect(MimCm.fromOwnerCertificate(none, "Catalog name").TemplateCommonName).toBeNull()
          expect(MimCm.templateCommonName(undefined, "Catalog name")).toBeNull()
        })
    )

    it("the error body is ASP.NET's {Message}", () => {
      expect(Schema.decodeUnknownSync(MimCm.ErrorBody)({ Message: "An error has occurred." })).toEqual({
        Message: "An error has occurred."
      })
      expect(Either.isLeft(Schema.decodeUnknownEither(MimCm.ErrorBody)({ message: "x" }))).toBe(true)
    })
  })

  describe("Huawei IdpCertificate", () => {
    it.effect("every field, from the DC certificate", () =>
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const dc = corpus.one("templateName")
        const wire = Huawei.fromOwnerCertificate(bindingFor(dc))
        const encoded = Schema.encodeSync(Huawei.IdpCertificate)(wire)
        expect(Object.keys(encoded)).toEqual([
          "certificate_id",
          "issuer_name",
          "not_after",
          "not_before",
          "public_key",
          "serial_number",
          "serial_number_string",
          "signature_algorithm_name",
          "subject_name",
          "version",
          "x509_Certificate_in_pem"
        ])
        expect(encoded).toMatchObject({
          certificate_id: "0123456789abcdef0123456789abcdef",
          issuer_name: "CN=labs1collabu0-SRV-ADDS01-CA,DC=labs1collabu0,DC=local",
          not_after: Date.UTC(2025, 3, 19, 17, 23, 0),
          not_before: Date.UTC(2024, 3, 19, 17, 23, 0),
          serial_number_string: "1181939495535341913976458770226053095656259586",
          signature_algorithm_name: "SHA256withRSA",
          subject_name: "CN=SRV-ADDS01.labs1collabu0.local",
          version: 3
        })
        // Lossy by design, but the nearest double.
        expect(encoded.serial_number).toBe(1.181939495535342e45)
        expect(JSON.stringify(encoded)).toContain('"serial_number":1.181939495535342e+45')
        // openssl x509 -pubkey
        expect(
          encoded.public_key.startsWith("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/86ytmxA1ZAXsI1")
        ).toBe(true)
        expect(base64Body(encoded.x509_Certificate_in_pem)).toBe(
          base64Body(input(names.templateName) as string)
        )
        expect(encoded.x509_Certificate_in_pem).toMatch(
          /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/
        )
      })
    )

    it.effect("PEM from DER round-trips DER-only fixtures; negative serials stay exact in the string", () =>
      Effect.gen(function* () {
        const corpus = yield* Corpus
        const der = corpus.one("adcsUserDer")
        expect(Pem.certificatePem(der.der)).toContain("-----BEGIN CERTIFICATE-----\nMII")
        expect(base64Body(Pem.certificatePem(der.der))).toBe(
          Buffer.from(input(names.adcsUserDer) as Uint8Array).toString("base64")
        )
        const negative = Huawei.fromOwnerCertificate(bindingFor(corpus.one("negativeSerial")))
        expect(negative.serial_number_string).toBe("-18008675309")
        expect(negative.serial_number).toBe(-18008675309)
        // An Ed25519 key certified by an RSA CA (openssl: sha256WithRSAEncryption, key ED25519).
        const ed = Huawei.fromOwnerCertificate(bindingFor(corpus.one("ed25519")))
        expect(ed.signature_algorithm_name).toBe("SHA256withRSA")
        expect(ed.public_key.startsWith("MCowBQYDK2VwAyEA")).toBe(true)
      })
    )

    it("request, response and error bodies", () => {
      const request = Schema.decodeUnknownSync(Huawei.ImportIdpCertificateRequest)({
        x509_certificate_in_pem: "-----BEGIN CERTIFICATE-----",
        certificate_use: "SIGNING"
      })
      expect(request.certificate_use).toBe("SIGNING")
      for (const bad of [
        { x509_Certificate_in_pem: "x", certificate_use: "SIGNING" },
        { x509_certificate_in_pem: "x", certificate_use: "ENCRYPTION" },
        { x509_certificate_in_pem: "", certificate_use: "SIGNING" }
      ]) {
        expect(Either.isLeft(Schema.decodeUnknownEither(Huawei.ImportIdpCertificateRequest)(bad))).toBe(true)
      }
      expect(Schema.encodeSync(Huawei.ImportIdpCertificateResponse)({ certificate_id: "abc" })).toEqual({
        certificate_id: "abc"
      })
      const error = { error_code: "IIC.1001", error_msg: "Access denied", request_id: "r-1" }
      expect(Schema.encodeSync(Huawei.ErrorBody)(error)).toEqual(error)
      expect(
        Schema.decodeUnknownSync(Huawei.ErrorBody)({ ...error, encoded_authorization_message: "enc" })
          .encoded_authorization_message
      ).toBe("enc")
      expect(Schema.encodeSync(Huawei.ListIdpCertificatesResponse)({ idp_certificates: [] })).toEqual({
        idp_certificates: []
      })
    })
  })
})
