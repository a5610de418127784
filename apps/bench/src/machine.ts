import os from 'node:os';
import process from 'node:process';

/** The machine a benchmark ran on, as the JSON `machine` record and the README show it. */
export interface MachineInfo {
  /** CPU model name. */
  cpu: string;
  /** Logical cores the OS reports (`os.availableParallelism()`). */
  cores: number;
  /** Total memory in GiB. */
  memoryGiB: number;
  /** e.g. `linux x64`. */
  os: string;
  node: string;
  v8: string;
  /** What WebAssembly features the engine validated for our kernels. */
  wasm: { simd: boolean; relaxedSimd: boolean; sharedMemory: boolean };
  /** V8 flags the benchmark turned on (Node 20's relaxed SIMD), so a reader knows. */
  v8Flags: string[];
  /** 1-minute load average when the run started (other processes share the cores). */
  loadAverage: number;
  /** ISO time the run started. */
  date: string;
}

/** Describes this machine; `wasm` comes from the caller (the linalg feature detection). */
export function machineInfo(wasm: MachineInfo['wasm'], v8Flags: string[] = []): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${process.arch}`,
    node: process.versions.node,
    v8: process.versions.v8,
    wasm,
    v8Flags,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
  };
}

/** One line for table headers: `Intel Xeon …, 2 cores, Node 20.20.2 (load 1.2)`. */
export function machineLine(m: MachineInfo): string {
  const features = [
    m.wasm.simd ? 'wasm SIMD' : 'no wasm SIMD',
    m.wasm.relaxedSimd ? 'relaxed SIMD' : 'no relaxed SIMD',
  ].join(', ');
  const flags = m.v8Flags.length === 0 ? '' : ` (${m.v8Flags.join(' ')})`;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node} (V8 ${m.v8}), ${features}${flags}, load ${m.loadAverage}`;
}
