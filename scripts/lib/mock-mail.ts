/**
 * What Stalwart 0.16 answers in the mock runtime: a new mail domain's DKIM keys (Ed25519 + RSA,
 * created by the provider in slot a, pending until published) and the records of its
 * `dnsZoneFile` for the services the platform advertises (no POP3; Stalwart still recommends
 * the client-setup names the layout leaves out); the server settings' ids and the tenant
 * provisioning account's login. Keys are placeholders, shapes are real.
 */
const MAIL_HOST = "mail.dezky.eu.";

/** MailDomain outputs: its DKIM keys. */
export function mockMailDomainState(domain: string): Record<string, unknown> {
  return { dkim: mockDkim(domain), domain };
}

function mockDkim(domain: string) {
  return (["ed25519", "rsa"] as const).map((algorithm) => ({
    id: `mock-${algorithm}`,
    type: algorithm === "rsa" ? "Dkim1RsaSha256" : "Dkim1Ed25519Sha256",
    algorithm,
    selector: `dezky-${algorithm}-a`,
    publicKey:
      algorithm === "rsa"
        ? "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".padEnd(392, "Q")
        : "MOCKed25519PUBLICKEYmock0000000000000000000=",
    stage: "pending",
    nextTransitionAt: null,
    dnsName: `dezky-${algorithm}-a._domainkey.${domain}`,
  }));
}

/** MailDomainRecords outputs: the domain's dnsZoneFile records. */
export function mockMailRecordsState(domain: string): Record<string, unknown> {
  const dkim = mockDkim(domain);
  const report = `mailto:postmaster@${domain}`;
  const srv = (label: string, port: number) => ({
    name: `${label}.${domain}`,
    type: "SRV",
    value: `0 1 ${port} ${MAIL_HOST}`,
  });
  const dnsRecords = [
    ...dkim.map((k) => ({
      name: k.dnsName,
      type: "TXT",
      value: `v=DKIM1; k=${k.algorithm}; h=sha256; p=${k.publicKey}`,
    })),
    { name: domain, type: "TXT", value: "v=spf1 mx -all" },
    { name: domain, type: "MX", value: `10 ${MAIL_HOST}` },
    { name: `_dmarc.${domain}`, type: "TXT", value: `v=DMARC1; p=reject; rua=${report}` },
    srv("_caldavs._tcp", 443),
    srv("_carddavs._tcp", 443),
    srv("_imaps._tcp", 993),
    srv("_jmap._tcp", 443),
    srv("_submissions._tcp", 465),
    { name: `_smtp._tls.${domain}`, type: "TXT", value: `v=TLSRPTv1; rua=${report}` },
    { name: `ua-auto-config.${domain}`, type: "CNAME", value: MAIL_HOST },
    {
      name: `_ua-auto-config.${domain}`,
      type: "TXT",
      value: "v=UAAC1; a=sha256; d=MOCKpaccDigest0000000000000000000000000000=",
    },
    { name: `autoconfig.${domain}`, type: "CNAME", value: MAIL_HOST },
    { name: `autodiscover.${domain}`, type: "CNAME", value: MAIL_HOST },
  ];
  return { dnsRecords, dnsZoneFile: "; mock zone file", domain };
}

/** ServerSettings outputs: the ids it created and when the listeners last changed. */
export function mockServerSettingsState(): Record<string, unknown> {
  return {
    defaultDomainId: "mock-platform-domain",
    certificateId: "mock-certificate",
    listenersChangedAt: "2026-11-26T00:00:00.000Z",
  };
}

/** ServiceAccount outputs: the role, the account and the login. */
export function mockServiceAccountState(inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    roleId: "mock-role",
    accountId: "mock-account",
    login: `${String(inputs.name)}@${String(inputs.domain)}`,
  };
}
