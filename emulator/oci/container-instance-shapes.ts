import type { Json } from "./body";

/** A flexible Container Instances shape and its bounds. */
export interface ShapeSpec {
  readonly name: string;
  readonly processorDescription: string;
  readonly ocpus: { min: number; max: number };
  readonly memory: {
    minInGBs: number;
    maxInGBs: number;
    defaultPerOcpuInGBs: number;
    minPerOcpuInGBs: number;
    maxPerOcpuInGBs: number;
  };
  readonly bandwidthPerOcpuInGbps: number;
}

/** The shapes `ListContainerInstanceShapes` offers (every availability domain offers all of them). */
export const containerInstanceShapes: readonly ShapeSpec[] = [
  {
    name: "CI.Standard.E4.Flex",
    processorDescription: "2.55 GHz AMD EPYC 7J13 (Milan)",
    ocpus: { min: 1, max: 64 },
    memory: { minInGBs: 1, maxInGBs: 1024, defaultPerOcpuInGBs: 16, minPerOcpuInGBs: 1, maxPerOcpuInGBs: 64 },
    bandwidthPerOcpuInGbps: 1,
  },
  {
    name: "CI.Standard.E3.Flex",
    processorDescription: "2.25 GHz AMD EPYC 7742 (Rome)",
    ocpus: { min: 1, max: 64 },
    memory: { minInGBs: 1, maxInGBs: 1024, defaultPerOcpuInGBs: 16, minPerOcpuInGBs: 1, maxPerOcpuInGBs: 64 },
    bandwidthPerOcpuInGbps: 1,
  },
  {
    name: "CI.Standard.A1.Flex",
    processorDescription: "3.0 GHz Ampere Altra",
    ocpus: { min: 1, max: 76 },
    memory: { minInGBs: 1, maxInGBs: 472, defaultPerOcpuInGBs: 6, minPerOcpuInGBs: 1, maxPerOcpuInGBs: 64 },
    bandwidthPerOcpuInGbps: 1,
  },
];

/** A shape as `ListContainerInstanceShapes` returns it. */
export function shapeView(s: ShapeSpec): Json {
  return {
    name: s.name,
    processorDescription: s.processorDescription,
    ocpuOptions: { min: s.ocpus.min, max: s.ocpus.max },
    memoryOptions: s.memory,
    networkingBandwidthOptions: {
      minInGbps: 1,
      maxInGbps: s.ocpus.max * s.bandwidthPerOcpuInGbps,
      defaultPerOcpuInGbps: s.bandwidthPerOcpuInGbps,
    },
  };
}
