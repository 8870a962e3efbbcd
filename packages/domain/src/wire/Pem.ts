/**
 * PEM from DER without node: (Effect's base64), in the canonical form @certory/x509 also produces:
 * 64-column lines, "\n" line ends, a final newline.
 */
import { Encoding } from "effect"

export const toPem = (label: string, der: Uint8Array): string => {
  const b64 = Encoding.encodeBase64(der)
  let body = ""
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`
}

export const certificatePem = (der: Uint8Array): string => toPem("CERTIFICATE", der)
