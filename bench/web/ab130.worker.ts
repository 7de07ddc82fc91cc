import * as ort from 'onnxruntime-web/webgpu';
import { serve } from './ab-core.ts';
serve(ort);
