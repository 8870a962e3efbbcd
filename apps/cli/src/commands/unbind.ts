/**
 * `certory unbind <owner> <certificate-id>`: removes one certificate from an owner (the certificate
 * stays in the store if other owners hold it).
 */
import { Ids, UnbindCertificate } from "@certory/domain"
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Flags from "../Flags.js"
import * as Local from "../Local.js"

const certificateId = Args.text({ name: "certificate-id" }).pipe(
  Args.withDescription("the id `certory list` shows"),
  Args.mapEffect(Flags.decodeText(Ids.CertificateId, "certificate id"))
)

export const unbind = Command.make(
  "unbind",
  { ...Local.storeOptions, owner: Flags.owner, certificateId },
  ({ owner, certificateId, ...choice }) =>
    Local.run("unbind", choice, (principal) =>
      UnbindCertificate.unbindCertificate(principal, owner, certificateId).pipe(
        Effect.flatMap((binding) =>
          Console.log(`unbound ${binding.certificateId} from ${Ids.ownerKey(binding.owner)}`)
        )
      )
    )
).pipe(Command.withDescription("Remove a certificate from an owner"))
