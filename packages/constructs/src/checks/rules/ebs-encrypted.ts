import { blocks, type CheckRule, isTrue } from "../rule.js";

export const ebsEncrypted: CheckRule = {
  id: "NL-EBS-1",
  severity: "error",
  title: "EBS volumes are encrypted",
  explanation: "Root volumes hold configuration, logs and cached build inputs; unencrypted snapshots of them can be shared or leaked.",
  fix: 'set ebs { encrypted = "true" } on every block device mapping (encrypted = true on volumes)',
  resourceTypes: ["aws_launch_template", "aws_instance", "aws_ebs_volume"],
  check(item) {
    if (item.type === "aws_ebs_volume") return isTrue(item.config.encrypted) ? [] : ["the volume is not encrypted"];
    if (item.type === "aws_instance") {
      return blocks(item.config.root_block_device)
        .concat(blocks(item.config.ebs_block_device))
        .filter((device) => !isTrue(device.encrypted))
        .map(() => "a block device is not encrypted");
    }
    const mappings = blocks(item.config.block_device_mappings).filter((mapping) => mapping.ebs !== undefined);
    if (mappings.length === 0) return ["no block device mapping encrypts the root volume"];
    return mappings
      .filter((mapping) => !blocks(mapping.ebs).every((ebs) => isTrue(ebs.encrypted)))
      .map((mapping) => `${String(mapping.device_name)} is not encrypted`);
  },
};
