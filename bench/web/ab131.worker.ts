// @ts-expect-error the nested copy transformers.js pins
import * as ort from '../../node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs';
import { serve } from './ab-core.ts';
serve(ort);
