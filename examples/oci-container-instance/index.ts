/**
 * An OCI container instance: nginx with a config file volume, an HTTP health check and a desired state.
 * `pulumi config set running false` stops it in place; changing the image replaces it.
 */
import * as pulumi from "@pulumi/pulumi";
import { oci } from "fnstack";

const config = new pulumi.Config();
const nginxConf = `server { listen 8080; location /healthz { return 200 "ok"; } }\n`;

const web = new oci.ContainerInstance("web", {
  compartmentId: config.require("compartmentId"),
  availabilityDomain: config.get("availabilityDomain") ?? "Uocm:PHX-AD-1",
  shape: "CI.Standard.E4.Flex",
  shapeConfig: { ocpus: 1, memoryInGBs: 4 },
  vnics: [{ subnetId: config.require("subnetId") }],
  displayName: "web",
  containers: [
    {
      imageUrl: "docker.io/library/nginx:1.27",
      displayName: "nginx",
      healthChecks: [{ healthCheckType: "HTTP", path: "/healthz", port: 8080 }],
      volumeMounts: [{ mountPath: "/etc/nginx/conf.d", volumeName: "conf" }],
    },
  ],
  volumes: [
    {
      volumeType: "CONFIGFILE",
      name: "conf",
      configs: [{ fileName: "default.conf", data: Buffer.from(nginxConf).toString("base64") }],
    },
  ],
  containerRestartPolicy: "ALWAYS",
  state: config.getBoolean("running") === false ? "INACTIVE" : "ACTIVE",
  timeouts: { create: "30m", delete: "30m" },
});

export const instanceId = web.id;
export const state = web.state;
export const containerIds = web.containers.apply((cs) => cs.map((c) => c.containerId));
/** The instance's private IP, read from the Core VNIC API. */
export const privateIp = web.vnics.apply((vs) => vs[0]?.privateIp);
