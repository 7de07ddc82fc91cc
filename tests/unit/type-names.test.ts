// The public type names: createReranker's options (RerankerOptions) and a call's (RerankCallOptions) differ in more
// than two letters, and the names 0.1 exported (RerankOptions, CallOptions) still compile for one release, as does
// importing Device and Dtype from src/options.ts. These are type-level checks: `npm run typecheck` fails when one
// breaks (tsconfig.node.json includes the tests); vitest only runs the empty bodies.
import { describe, expectTypeOf, it } from 'vitest';
import type { CallOptions, Device, Dtype, Reranker, RerankCallOptions, RerankerOptions, RerankOptions } from '../../src/index.ts';
import type { Device as OptionsDevice, Dtype as OptionsDtype } from '../../src/options.ts';
import type { CallOptions as ClientCallOptions } from '../../src/client.ts';
import type { Device as VocabularyDevice, Dtype as VocabularyDtype } from '../../src/core/vocabulary.ts';

describe('option type names', () => {
  it('rerank() and score() take RerankCallOptions', () => {
    // Why: the call's options type is the one a page writes against; onBatch belongs to it, not to a subtype.
    expectTypeOf<Parameters<Reranker['rerank']>[2]>().toEqualTypeOf<RerankCallOptions<unknown> | undefined>();
    expectTypeOf<RerankCallOptions<string>>().toHaveProperty('onBatch');
  });

  it('keeps the deprecated names as the same type', () => {
    // Why: the package is public; code written against the old names must compile unchanged for one release.
    expectTypeOf<RerankOptions<string>>().toEqualTypeOf<RerankCallOptions<string>>();
    expectTypeOf<CallOptions<string>>().toEqualTypeOf<RerankCallOptions<string>>();
    expectTypeOf<ClientCallOptions<string>>().toEqualTypeOf<RerankCallOptions<string>>();
  });

  it('keeps Device and Dtype importable from options.ts, the same as the vocabulary', () => {
    // Why: modules and other branches import them from there; the vocabulary module is their one definition.
    expectTypeOf<OptionsDevice>().toEqualTypeOf<VocabularyDevice>();
    expectTypeOf<OptionsDtype>().toEqualTypeOf<VocabularyDtype>();
    expectTypeOf<Device>().toEqualTypeOf<VocabularyDevice>();
    expectTypeOf<Dtype>().toEqualTypeOf<VocabularyDtype>();
    expectTypeOf<RerankerOptions['device']>().toEqualTypeOf<Device | undefined>();
  });
});
