/**
 * A small writer of ONNX graphs on top of the `onnx-proto` protobuf classes: nodes,
 * initializers, typed inputs and outputs, and the finished model as bytes. Used
 * by the converter and by tests that build tiny models of their own.
 */
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;

/** ONNX element types used here. */
export const ElemType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;

/** An end index meaning "to the end" for Slice. */
export const INT64_MAX = 9223372036854775807n;

/** Whole numbers become INT attributes; wrap a whole-valued float as `{ float: x }`. */
export type AttrValue =
  | number
  | number[]
  | bigint[]
  | string
  | Float32Array
  | { float: number }
  | { floats: number[] }
  | onnxProto.onnx.ITensorProto;

function attribute(name: string, value: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
  }
  if (typeof value === 'string') return { name, type: T.STRING, s: Buffer.from(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value.map((v) => Number(v)) };
  if (value instanceof Float32Array) return { name, type: T.FLOATS, floats: Array.from(value) };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };

  return { name, type: T.TENSOR, t: value };
}

/** A tensor proto holding float32 or int64 values as little-endian raw bytes. */
export function tensor(
  name: string,
  dims: number[],
  values: Float32Array | BigInt64Array | boolean[],
): onnxProto.onnx.ITensorProto {
  if (Array.isArray(values)) {
    return { name, dims, dataType: ElemType.BOOL, rawData: Uint8Array.from(values, (b) => (b ? 1 : 0)) };
  }
  const dataType = values instanceof Float32Array ? ElemType.FLOAT : ElemType.INT64;
  const rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

  return { name, dims, dataType, rawData };
}

export interface ValueInfo {
  name: string;
  elemType: number;
  /** Numbers are fixed sizes, strings are named free dimensions. */
  shape: (number | string)[];
}

function valueInfo(v: ValueInfo): onnxProto.onnx.IValueInfoProto {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));

  return { name: v.name, type: { tensorType: { elemType: v.elemType, shape: { dim } } } };
}

export class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;

  /** A value name not used before, readable in a graph viewer. */
  fresh(hint: string): string {
    return `${hint}__${this.counter++}`;
  }

  /** Adds one node and returns its output names. */
  add(
    op: string,
    inputs: string[],
    outputs: string[] | number = 1,
    attrs: Record<string, AttrValue> = {},
    name?: string,
  ): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(op)) : outputs;
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({
      opType: op,
      input: inputs,
      output: outs,
      attribute: attribute_,
      name: name ?? this.fresh(`${op}_node`),
    });

    return outs;
  }

  /** One-output shorthand for `add`. */
  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.add(op, inputs, output ? [output] : 1, attrs)[0];
  }

  initializer(t: onnxProto.onnx.ITensorProto): string {
    this.initializers.push(t);

    return t.name as string;
  }

  ints(values: (number | bigint)[], dims: number[] = [values.length], hint = 'const'): string {
    return this.initializer(
      tensor(
        this.fresh(hint),
        dims,
        BigInt64Array.from(values, (v) => BigInt(v)),
      ),
    );
  }

  floats(values: number[] | Float32Array, dims: number[] = [values.length], hint = 'const'): string {
    return this.initializer(tensor(this.fresh(hint), dims, Float32Array.from(values)));
  }

  /** The finished model, serialized. */
  model(opts: {
    inputs: ValueInfo[];
    outputs: ValueInfo[];
    opset?: number;
    producer?: string;
    graphName?: string;
    metadata?: Record<string, string>;
  }): Uint8Array {
    // Constants folded into other forms (e.g. kernels reshaped for a MatMul) are left out.
    const used = new Set(this.nodes.flatMap((n) => n.input ?? []));
    const initializers = this.initializers.filter((t) => used.has(t.name as string));
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: opts.producer ?? 'surveyor',
      opsetImport: [{ domain: '', version: opts.opset ?? 17 }],
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: opts.graphName ?? 'graph',
        node: this.nodes,
        initializer: initializers,
        input: opts.inputs.map(valueInfo),
        output: opts.outputs.map(valueInfo),
      },
    });

    return onnx.ModelProto.encode(model).finish();
  }
}
