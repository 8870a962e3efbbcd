/**
 * `certory unbind <owner> <certificate-id>`: removes one certificate from an owner (the certificate
 * stays in the store if other owners hold it).
 */
import { GetOwnerCertificate, Ids, UnbindCertificate } from "@certory/domain"
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Confirm from "../Confirm.js"
import * as Flags from "../Flags.js"
import * as Local from "../Local.js"

const certificateId = Args.text({ name: "certificate-id" }).pipe(
  Args.withDescription("the id `certory list` shows"),
  Args.mapEffect(Flags.decodeText(Ids.CertificateId, "certificate id"))
)

export const unbind = Command.make(
  "unbind",
  { ...Local.storeOptions, owner: Flags.owner, certificateId, yes: Confirm.yes },
  ({ owner, certificateId, yes, ...choice }) =>
    Local.run("unbind", choice, (principal) =>
      GetOwnerCertificate.getOwnerCertificate(principal, { owner, certificateId }).pipe(
        Effect.flatMap(({ certificate }) =>
          Confirm.confirm(
            `certificate ${certificateId} (${certificate.subject.rfc4514.slice(0, 200)}) from ${Ids.ownerKey(owner)}`,
            yes
          )
        ),
        Effect.zipRight(UnbindCertificate.unbindCertificate(principal, owner, certificateId)),
        Effect.flatMap((binding) =>
          Console.log(`unbound ${binding.certificateId} from ${Ids.ownerKey(binding.owner)}`)
        )
      )
    )
).pipe(
  Command.withDescription(
    "Remove a certificate from an owner; asks first, or --yes. Example: certory unbind smartcard:5badfea3-de31-4837-99f9-8249515a5473 <certificate-id> --yes"
  )
)
