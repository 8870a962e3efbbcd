/**
 * An entry of the template catalog: the name administrators registered for a certificate template OID.
 * AD CS writes either the template's name (1.3.6.1.4.1.311.20.2) or only its OID (1.3.6.1.4.1.311.21.7)
 * into a certificate; the name behind an OID is known to the CA, not to us, so administrators tell us.
 */
import { Schema } from "effect"
import { EpochMillis } from "./Certificate.js"
import { Text } from "./Inputs.js"

/** The longest OID the catalog holds (real template OIDs run to ~60 characters). */
export const MAX_OID_LENGTH = 255

/**
 * A dotted OID as X.660 and DER allow it: the first arc 0, 1 or 2, the second below 40 under 0 and 1,
 * at least two arcs, no leading zeros. The form the certificate parser reports, so a registered OID
 * matches the certificates carrying it.
 */
export const TemplateOid = Schema.String.pipe(
  Schema.maxLength(MAX_OID_LENGTH, { message: () => `at most ${MAX_OID_LENGTH} characters` }),
  Schema.pattern(/^(?:[01]\.(?:[0-9]|[1-3][0-9])|2\.(?:0|[1-9][0-9]*))(?:\.(?:0|[1-9][0-9]*))*$/, {
    message: () => "a dotted OID such as 1.3.6.1.4.1.311.21.8.1.2"
  }),
  Schema.brand("TemplateOid")
).annotations({ identifier: "TemplateOid", description: "a certificate template's dotted OID" })
export type TemplateOid = typeof TemplateOid.Type

/** What MIM shows as TemplateCommonName for certificates carrying only the OID. */
export const TemplateName = Text(256)
  .pipe(Schema.minLength(1, { message: () => "must not be empty" }))
  .annotations({ identifier: "TemplateName" })

export class TemplateEntry extends Schema.Class<TemplateEntry>("TemplateEntry")({
  oid: TemplateOid,
  name: TemplateName,
  updatedAt: EpochMillis,
  /** The principal id that registered or last renamed it. */
  updatedBy: Schema.String
}) {}
