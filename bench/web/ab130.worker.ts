// The run-plan A/B on the onnxruntime-web rerank-web depends on (1.30).
import * as ort from 'onnxruntime-web/webgpu';
import { serve } from './ab-core.ts';

serve(ort);
