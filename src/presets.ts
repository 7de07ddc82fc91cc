// Rerankers known to fit this library. Any other hub id or folder URL works too when its config.json says it is a
// sequence-classification model of a family the tokenizer layer reads (BERT-style or XLM-R-style pairs).
import type { Dtype } from './options.ts';

export interface RerankerPreset {
  id: string;
  family: 'bert' | 'xlm-roberta';
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
];
