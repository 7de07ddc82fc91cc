// Rerankers known to fit this library. Any other hub id or folder URL works too when its config.json says it is a
// sequence-classification model whose pair layout its tokenizer.json states (BERT-, XLM-R- or DeBERTa-style pairs).
import type { Dtype } from './options.ts';

export interface RerankerPreset {
  id: string;
  family: 'bert' | 'xlm-roberta' | 'jinabert' | 'modernbert' | 'deberta-v2' | 'qwen3-decoder';
  /** The model's full window in tokens, when longer than maxLength (long-window families; see docs/encoder-families.md). */
  window?: number;
  /** Tokens per pair the model was trained with (the library's default maxLength for it). */
  maxLength: number;
  /** What dtype 'auto' loads on each device (WebGPU with and without the shader-f16 feature). */
  dtypes: { wasm: Dtype; webgpu: Dtype; webgpuF16: Dtype };
  /** Parameters, millions. */
  params: number;
  description: string;
}

export const PRESETS: readonly RerankerPreset[] = [
  {
    id: 'Xenova/ms-marco-MiniLM-L-6-v2', family: 'bert', maxLength: 512, params: 22.7,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'MS MARCO MiniLM-L-6: the default; TREC-DL19 nDCG@10 74.30',
  },
  {
    id: 'Xenova/ms-marco-TinyBERT-L-2-v2', family: 'bert', maxLength: 512, params: 4.4,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'MS MARCO TinyBERT-L-2: fastest; TREC-DL19 nDCG@10 69.84',
  },
  {
    id: 'Xenova/bge-reranker-base', family: 'xlm-roberta', maxLength: 512, params: 278,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'BAAI bge-reranker-base: multilingual (XLM-RoBERTa), much larger and slower',
  },
  // JinaBERT (ALiBi, 8,192-token window): maxLength is the cost-based long-window default (LONG_WINDOW_DEFAULT).
  // Sizes measured on generated models of the assumed shape (npx tsx bench/experiments/family-sizes.ts): tiny fp32 85.3 MB,
  // q8 21.4 MB, q4 53.0 MB; turbo 104.2 / 26.2 / 55.9 MB.
  {
    id: 'jinaai/jina-reranker-v1-tiny-en', family: 'jinabert', maxLength: 4096, window: 8192, params: 21,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'Jina reranker v1 tiny (JinaBERT, 4 layers): 8k window; q8 21 MB (generated shape)',
  },
  {
    id: 'jinaai/jina-reranker-v1-turbo-en', family: 'jinabert', maxLength: 4096, window: 8192, params: 26,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'Jina reranker v1 turbo (JinaBERT, 6 layers): 8k window; q8 26 MB (generated shape)',
  },
  // ModernBERT (rotary, alternating local/global attention, 8,192-token window, no token types). Sizes measured on a
  // generated model of the same shape (npx tsx bench/experiments/family-sizes.ts): fp32 598.5 MB, q8 149.8 MB, q4 224.3 MB.
  {
    id: 'Alibaba-NLP/gte-reranker-modernbert-base', family: 'modernbert', maxLength: 4096, window: 8192, params: 149,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'GTE reranker ModernBERT-base: 8k window, strong English quality; q8 150 MB (generated shape)',
  },
  // DeBERTa-v3 (disentangled relative attention, SentencePiece): fp32 / q8 / q4 MB on generated models of the same
  // shape: xsmall 282.6 / 70.9 / 210.5, base 736.2 / 184.6 / 447.6.
  {
    id: 'mixedbread-ai/mxbai-rerank-xsmall-v1', family: 'deberta-v2', maxLength: 512, params: 71,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'mxbai rerank xsmall v1 (DeBERTa-v3): q8 71 MB (generated shape)',
  },
  {
    id: 'mixedbread-ai/mxbai-rerank-base-v1', family: 'deberta-v2', maxLength: 512, params: 184,
    dtypes: { wasm: 'q8', webgpu: 'fp32', webgpuF16: 'fp16' },
    description: 'mxbai rerank base v1 (DeBERTa-v3): q8 185 MB (generated shape)',
  },
  // Decoder reranker (a causal LM scored from its "yes"/"no" logits, docs/decoder-rerankers.md): 4-bit on WebGPU, int8
  // on WASM. maxLength is the pruned-head decoder default (DECODER_PRUNED_MAX_LENGTH, measured at this model's shape):
  // the LM head is pruned at load (info.lmHead).
  {
    id: 'onnx-community/Qwen3-Reranker-0.6B-ONNX', family: 'qwen3-decoder', maxLength: 2048, window: 40960, params: 596,
    dtypes: { wasm: 'q8', webgpu: 'q4', webgpuF16: 'q4f16' },
    description: 'Qwen3-Reranker-0.6B (decoder LLM; pointwise or listwise): best quality here, slowest; WebGPU recommended',
  },
];
