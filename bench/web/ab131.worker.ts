// The run-plan A/B on the onnxruntime-web transformers.js pins (1.31-dev), to tell ORT versions from batching plans.
// @ts-expect-error the nested copy has no types of its own at this path; its API is the same as 1.30's
import * as ort from '../../node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs';
import { serve } from './ab-core.ts';

serve(ort);
