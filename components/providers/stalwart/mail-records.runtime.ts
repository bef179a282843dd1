/**
 * The DNS records a mail domain needs, as Stalwart 0.16 recommends them (the domain's
 * `dnsZoneFile`, parsed: MX, SPF, DKIM, DMARC, TLS-RPT, SRV, ...). Read-only: create, read and
 * update read the domain; delete forgets. A resource of its own so that record sets depend on
 * it rather than on the MailDomain: an update of the domain (offboarding's retention date, a
 * new description) would otherwise hide every record during a preview, and the engine would
 * plan record-set changes that never happen. It follows the domain's DKIM rotation (the same
 * `dkimRotation` value), which changes the published keys; a key replaced after drift shows up
 * at the next refresh. The id is the domain's id.
 */
import { z } from "zod";
import type { TypeSpec } from "../core/contract";
import { objectError } from "../core/errors";
import { dnsNameField, slugField } from "../core/schema";
import { credentialName, jmapCall, type StalwartConnection } from "./jmap";
import type { Raw } from "./domain-api";
import { parseZoneFile, type DnsRecord } from "./zone-file";

const schema = z.object({
  tenant: slugField("tenant"),
  /** The mail domain's name (named in messages; the records are checked against it). */
  domain: dnsNameField,
  /** The MailDomain's `id`. */
  domainId: z.string().min(1),
  /** The MailDomain's `dkimRotation`: a rotation re-reads the records. */
  dkimRotation: z.union([z.string(), z.number()]).transform(String).optional(),
});

export type MailRecordsInputs = z.infer<typeof schema>;

export interface MailRecordsOutputs extends MailRecordsInputs {
  /** Stalwart's recommended records as BIND text. */
  dnsZoneFile: string;
  /** The same records parsed. */
  dnsRecords: DnsRecord[];
}

async function readRecords(
  connection: StalwartConnection,
  inputs: MailRecordsInputs,
): Promise<MailRecordsOutputs | undefined> {
  const results = await jmapCall(
    connection,
    [["x:Domain/get", { ids: [inputs.domainId], properties: ["name", "dnsZoneFile"] }, "d"]],
    {
      tenant: inputs.tenant,
      object: `DNS records of mail domain "${inputs.domain}"`,
      credential: credentialName(connection),
    },
  );
  const domain = (results.get("d")?.list as Raw[] | undefined)?.[0];
  if (!domain) return undefined;
  const dnsZoneFile = typeof domain.dnsZoneFile === "string" ? domain.dnsZoneFile : "";
  return {
    ...inputs,
    domain: String(domain.name),
    dnsZoneFile,
    dnsRecords: parseZoneFile(dnsZoneFile),
  };
}

function gone(inputs: MailRecordsInputs): Error {
  return objectError(
    {
      service: "Stalwart",
      tenant: inputs.tenant,
      object: `mail domain "${inputs.domain}" (${inputs.domainId})`,
    },
    "does not exist",
    "run pulumi refresh, then pulumi up",
  );
}

export const mailRecordsType: TypeSpec<MailRecordsInputs, MailRecordsOutputs, StalwartConnection> =
  {
    type: "stalwart:MailDomainRecords",
    service: "stalwart",
    schema,
    replaces: ["domainId"],
    updates: ["tenant", "domain", "dkimRotation"],

    async create(op, inputs) {
      const outs = await readRecords(op.connection, inputs);
      if (!outs) throw gone(inputs);
      return { id: inputs.domainId, outs };
    },
    async read(op, _id, props) {
      return readRecords(op.connection, props);
    },
    async update(op, _id, _olds, news) {
      const outs = await readRecords(op.connection, news);
      if (!outs) throw gone(news);
      return outs;
    },
    async delete() {
      // Read-only: the records go with the domain and the record sets.
    },
  };
