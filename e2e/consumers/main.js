// A consumer app: `npm install rerank-web`, a few lines, nothing else.
import { createReranker } from 'rerank-web';

window.run = async (hubUrl, model) => {
  const reranker = await createReranker({ hubUrl, model, device: 'wasm' });
  const ranked = await reranker.rerank('cats and dogs', ['tomato soup', 'cats and dogs', 'dogs']);
  const info = reranker.info;
  await reranker.dispose();
  return { ranked, info };
};
window.ready = true;
