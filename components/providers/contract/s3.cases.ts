/** The bucket type under the contract suite, against the S3 simulator. */
import type { SimRequest } from "../../../test/simulators/fault-server";
import { S3Simulator } from "../../../test/simulators/s3/s3-simulator";
import type { ContractCase, World } from "./suite";

interface S3World extends World {
  sim: S3Simulator;
}

const bucketPath = /^\/contract-b\d+\/?$/;

export const s3Cases: ContractCase[] = [
  {
    type: "s3:Bucket",
    service: "s3",
    module: "components/providers/s3/bucket.js",
    exportName: "Bucket",
    async start(): Promise<S3World> {
      const sim = new S3Simulator({ accounts: { SIMKEY: "acct-dezky", OTHERKEY: "acct-other" } });
      const url = await sim.start();
      return {
        sim,
        server: sim.server,
        connection: { accessKeyId: "SIMKEY", secretAccessKey: "sim-secret" },
        rejected: {
          connection: { accessKeyId: "NOPE", secretAccessKey: "x" },
          names: /HTTP 403.*dezky:s3AccessKey\/dezky:s3SecretKey/,
        },
        inputs: async (n) => ({
          bucket: `contract-b${n}`,
          region: "fsn1",
          endpoint: url,
          cell: "dev",
        }),
        count: (i) => (sim.buckets.has(i.bucket) ? 1 : 0),
        stop: () => sim.stop(),
      };
    },
    invalid: { change: { region: "us-east-1" }, property: "region" },
    update: (i) => ({ ...i, noncurrentVersionDays: 30 }),
    replace: { change: (i) => ({ ...i, bucket: `${i.bucket}x` }), field: "bucket" },
    // CreateBucket: the PUT on the bucket path without a sub-resource.
    createCall: {
      method: "PUT",
      path: bucketPath,
      when: (req: SimRequest) => [...req.query.keys()].length === 0,
    },
    // A bucket of ours without the marker and with someone's content (an empty one is taken
    // as our own create that failed before writing the marker).
    foreign: (w, i) => {
      (w as S3World).sim.seedObject(i.bucket, "someone/data.bin");
    },
    remove: (w, id) => void (w as S3World).sim.buckets.delete(id),
    // What older versions stored: the location and endpoint inside the connection, and the
    // endpoint in use as `endpoint`.
    legacy: (outs, w) => {
      const { endpointUrl, endpoint, region, ...rest } = outs;
      return {
        ...rest,
        connection: { region, endpoint, ...(w.connection as object) },
        endpoint: endpointUrl,
        region,
      };
    },
  },
];
