import { strict as assert } from "node:assert";
import { Harness, base, projectId } from "./harness";

// The read–merge–write pattern (GET config, change a field, PUT the body back) is what peers and the
// Huawei SDK do; it only works when every body GET returns is one PUT accepts (issue 10).

const urn = (name: string): string => `urn:fss:eu-de:${projectId}:function:default:${name}`;
const configPath = (name: string): string => `${base}/fgs/functions/${urn(name)}/config`;
const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 7)]).toString("base64");

/** Every kind of function configuration the emulator can produce, each set up by create + later writes. */
const shapes: Record<string, (h: Harness, name: string) => Promise<void>> = {
  "inline, defaults only": async (h, name) => {
    await h.createFunction(name);
  },
  "type v1, zip code": async (h, name) => {
    await h.createFunction(name, {
      type: "v1",
      code_type: "zip",
      code_filename: "index.zip",
      func_code: { file: zip },
    });
  },
  "obs code": async (h, name) => {
    await h.createFunction(name, {
      code_type: "obs",
      code_url: "https://b.obs.eu-de.otc.t-systems.com/code.zip",
      func_code: undefined,
    });
  },
  "custom image": async (h, name) => {
    await h.createFunction(name, {
      runtime: "Custom Image",
      handler: "-",
      code_type: "Custom-Image-Swr",
      func_code: undefined,
      custom_image: { enabled: true, image: "swr.eu-de.otc.t-systems.com/org/app:1" },
    });
  },
  "every optional config field": async (h, name) => {
    await h.createFunction(name, {
      user_data: JSON.stringify({ A: "1" }),
      encrypted_user_data: JSON.stringify({ S: "secret" }),
      user_data_encrypt_kms_key_id: "kms-user",
      code_encrypt_kms_key_id: "kms-code",
      xrole: "agency",
      app_xrole: "app-agency",
      description: "all fields",
      func_vpc: { vpc_id: "vpc-1", subnet_id: "subnet-1" },
      mount_config: {
        mount_user: { user_id: 1000, user_group_id: 1000 },
        func_mounts: [
          { mount_type: "sfs", mount_resource: "r2", mount_share_path: "/b", local_mount_path: "/mnt/b" },
          { mount_type: "ecs", mount_resource: "r1", mount_share_path: "/a", local_mount_path: "/mnt/a" },
        ],
      },
      initializer_handler: "index.init",
      initializer_timeout: 30,
      pre_stop_handler: "index.stop",
      pre_stop_timeout: 10,
      enterprise_project_id: "eps-1",
      log_config: { group_id: "g1", group_name: "g", stream_id: "s1", stream_name: "s" },
      network_controller: { disable_public_network: true, trigger_access_vpcs: [{ vpc_id: "vpc-1" }] },
      is_stateful_function: true,
      enable_dynamic_memory: true,
      enable_lts_log: true,
      lts_custom_tag: { team: "x" },
      domain_names: '[{"id":"d1","domain_name":"a.example"}]',
    });
  },
  "disabled by max instances 0": async (h, name) => {
    await h.createFunction(name);
    await h.call("PUT", `${base}/fgs/functions/${urn(name)}/config-max-instance`, {
      body: { max_instance_num: 0 },
    });
  },
  "strategy zeroed by a partial PUT (concurrency 0, concurrent_num 0)": async (h, name) => {
    await h.createFunction(name);
    await h.call("PUT", configPath(name), {
      body: {
        func_name: name,
        runtime: "Node.js18.15",
        handler: "index.handler",
        memory_size: 256,
        timeout: 30,
        strategy_config: {},
      },
    });
  },
  "ephemeral storage, class isolation, restore hook and GPU set by PUT": async (h, name) => {
    await h.createFunction(name);
    await h.call("PUT", configPath(name), {
      body: {
        func_name: name,
        runtime: "Node.js18.15",
        handler: "index.handler",
        memory_size: 256,
        timeout: 30,
        ephemeral_storage: 10240,
        enable_class_isolation: true,
        enable_auth_in_header: true,
        restore_hook_handler: "index.restore",
        restore_hook_timeout: 20,
        heartbeat_handler: "index.beat",
        peering_cidr: "10.0.0.0/24",
        extend_config: "{}",
        gpu_memory: 1024,
        gpu_type: "nvidia-t4",
      },
    });
  },
};

/** Fields a successful PUT may change on its own (time of the write). */
function stable(body: Record<string, unknown>): Record<string, unknown> {
  const { last_modified: _t, image_name: _i, ...rest } = body;
  return rest;
}

describe("emulator/functiongraph config round-trip: GET config, PUT it back unchanged", () => {
  for (const [shape, setup] of Object.entries(shapes)) {
    it(`${shape}: the GET body is accepted by PUT (200) and reads back the same`, async () => {
      const h = new Harness();
      const name = "rt";
      await setup(h, name);
      const got = await h.call("GET", configPath(name));
      assert.equal(got.status, 200);
      const put = await h.call("PUT", configPath(name), { body: got.json });
      assert.equal(put.status, 200, `${shape}: ${JSON.stringify(put.json)}`);
      const again = await h.call("GET", configPath(name));
      const before = stable(got.json);
      const after = stable(again.json);
      // encrypted values are blanked on read; sending the blanked body back stores blank values
      delete before.encrypted_user_data;
      delete after.encrypted_user_data;
      assert.deepEqual(after, before);
    });
  }

  it("a published version's and an alias's config, PUT to latest, are accepted (200)", async () => {
    const h = new Harness();
    await shapes["every optional config field"]?.(h, "pub");
    await h.call("POST", `${base}/fgs/functions/${urn("pub")}/versions`, { body: { version: "v1" } });
    await h.call("POST", `${base}/fgs/functions/${urn("pub")}/aliases`, {
      body: { name: "live", version: "v1" },
    });
    for (const qualifier of ["v1", "!live"]) {
      const got = await h.call("GET", `${base}/fgs/functions/${urn("pub")}:${qualifier}/config`);
      assert.equal(got.status, 200);
      const put = await h.call("PUT", configPath("pub"), { body: got.json });
      assert.equal(put.status, 200, `${qualifier}: ${JSON.stringify(put.json)}`);
    }
  });

  it("keeps func_mounts in the order set, each with its status", async () => {
    const h = new Harness();
    await shapes["every optional config field"]?.(h, "mounts");
    const got = await h.call("GET", configPath("mounts"));
    const mounts = (got.json.mount_config as { func_mounts: Record<string, unknown>[] }).func_mounts;
    assert.deepEqual(
      mounts.map((m) => [m.mount_resource, m.status]),
      [
        ["r2", "ACTIVE"],
        ["r1", "ACTIVE"],
      ],
    );
    assert.equal(got.json.user_data_encrypt_kms_key_id, "kms-user");
    assert.equal(got.json.code_encrypt_kms_key_id, "kms-code");
    assert.equal(got.json.log_group_id, "g1");
    assert.equal(got.json.log_stream_id, "s1");
  });

  it("rejects unknown keys and a missing func_name; an omitted type keeps its value", async () => {
    const h = new Harness();
    await h.createFunction("strict", { type: "v1" });
    const body = {
      func_name: "strict",
      runtime: "Node.js18.15",
      handler: "index.handler",
      memory_size: 256,
      timeout: 30,
    };
    const unknownKey = await h.call("PUT", configPath("strict"), { body: { ...body, memory: 512 } });
    assert.equal(unknownKey.status, 400);
    assert.match(String(unknownKey.json.error_msg), /memory/);
    const { func_name: _n, ...noName } = body;
    assert.equal((await h.call("PUT", configPath("strict"), { body: noName })).status, 400);
    const ok = await h.call("PUT", configPath("strict"), { body });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.type, "v1", "PUT config does not reset type");
    const created = await h.createFunction("strict2", { memory: 512 });
    assert.equal(created.status, 400, "create rejects unknown keys too");
  });
});
