// The demo's own corpus, written for it: twelve topics of eight short facts each. Each fact is a document, and so
// are two pairings of facts of one topic, which gives 288 short documents whose words overlap across topics (so that
// BM25 alone makes mistakes a reranker can fix, e.g. "cat" in pets and in sleep, "battery" in phones and in cars).
import type { Doc } from './corpus.ts';

const TOPICS: Record<string, string[]> = {
  'Cats and dogs': [
    'Cats and dogs can share a home when they are introduced slowly, with separate food bowls at first.',
    'A dog greets by sniffing; a cat that flattens its ears is asking for space.',
    'Kittens raised with puppies usually accept dogs for life.',
    'Give the cat high places to escape to, out of the dog’s reach.',
    'Reward the dog for calm behaviour when the cat walks past.',
    'Older cats may never like a boisterous young dog; keep a quiet room for them.',
    'Feed cats and dogs apart: dog food lacks the taurine cats need.',
    'Play sessions with each pet alone reduce jealousy between them.',
  ],
  Coffee: [
    'Espresso is brewed by forcing hot water through finely ground coffee at about nine bar.',
    'Lighter roasts keep more of the bean’s acidity and fruit notes.',
    'A burr grinder gives an even grind, which makes extraction predictable.',
    'Cold brew steeps coarse grounds in cold water for twelve to twenty-four hours.',
    'Caffeine takes about forty-five minutes to reach its peak in the blood.',
    'Water just off the boil, around 94 °C, suits most pour-over coffee.',
    'Store beans in an airtight jar away from light, not in the fridge.',
    'A flat white has less milk foam than a cappuccino.',
  ],
  'Bread baking': [
    'Sourdough rises with wild yeast and lactic acid bacteria from a starter.',
    'Kneading develops gluten, which traps the gas that makes bread rise.',
    'A Dutch oven keeps steam around the loaf so the crust stays soft long enough to expand.',
    'Whole wheat flour absorbs more water than white flour.',
    'Let bread cool before slicing; the crumb is still setting.',
    'Salt slows yeast, so add it after the flour and water have rested.',
    'An overnight rise in the fridge deepens flavour.',
    'Tap the bottom of the loaf: a hollow sound means it is baked through.',
  ],
  'WebGPU and browsers': [
    'WebGPU gives web pages access to the GPU for graphics and general computation.',
    'A Web Worker runs scripts off the main thread so the page stays responsive.',
    'WebAssembly with SIMD runs numeric code close to native speed in the browser.',
    'SharedArrayBuffer needs a cross-origin isolated page, which WASM threads rely on.',
    'The Cache API stores responses so that a site can work offline.',
    'Shaders in WebGPU are written in WGSL.',
    'Browsers without a GPU adapter can fall back to a software renderer.',
    'Transferring an ArrayBuffer to a worker moves it without copying.',
  ],
  'Search engines': [
    'BM25 ranks documents by term frequency, inverse document frequency and length.',
    'A cross-encoder reads the query and the document together and scores their relevance.',
    'Reranking the top results of a fast first stage improves precision at the top.',
    'An inverted index maps each word to the documents that contain it.',
    'nDCG rewards relevant documents near the top of the ranking more.',
    'Stemming reduces words such as running and runs to a common root.',
    'Dense retrieval compares embeddings of queries and documents.',
    'Fuzzy matching finds words despite typos.',
  ],
  Rivers: [
    'The Nile flows north through eleven countries into the Mediterranean.',
    'A river delta forms where sediment settles as the current slows at the sea.',
    'The Amazon carries more water than any other river.',
    'Oxbow lakes are meanders cut off from the river.',
    'Dams store water for power and irrigation but trap sediment.',
    'Salmon swim up rivers to spawn in the gravel where they hatched.',
    'Floodplains are fertile because floods leave silt behind.',
    'The source of a river is often a spring or a glacier.',
  ],
  Planets: [
    'Mars has the tallest volcano in the solar system, Olympus Mons.',
    'Jupiter’s Great Red Spot is a storm larger than Earth.',
    'Venus spins backwards and its day is longer than its year.',
    'Saturn’s rings are made of ice and rock.',
    'Mercury has almost no atmosphere, so its nights are very cold.',
    'Neptune has the fastest winds measured on any planet.',
    'Uranus rotates on its side, probably after an ancient collision.',
    'Earth is the only planet known to have liquid water on its surface.',
  ],
  Running: [
    'Easy runs at a conversational pace build most of a runner’s endurance.',
    'Increase weekly distance by about ten percent to avoid injury.',
    'Running shoes lose cushioning after roughly 600 to 800 kilometres.',
    'Intervals alternate fast efforts with recovery jogs.',
    'Sleep is when the body repairs the muscles a hard run damaged.',
    'Drink to thirst during runs shorter than an hour.',
    'Strength training for hips and calves prevents common running injuries.',
    'A marathon is 42.195 kilometres long.',
  ],
  Gardening: [
    'Tomatoes need at least six hours of sun a day.',
    'Compost improves soil structure and feeds soil life.',
    'Water deeply and less often so that roots grow down.',
    'Mulch keeps moisture in the soil and weeds out.',
    'Rotating crops each year limits pests and diseases.',
    'Bees pollinate many fruit trees; plant flowers that bloom early.',
    'Prune roses in late winter, just before new growth.',
    'Clay soil holds water; sandy soil drains fast.',
  ],
  Photography: [
    'A wide aperture blurs the background and lets in more light.',
    'A fast shutter speed freezes motion; a slow one blurs it.',
    'The golden hour after sunrise and before sunset gives warm, soft light.',
    'Higher ISO brightens a photo but adds noise.',
    'The rule of thirds places the subject off centre.',
    'A tripod allows long exposures of night scenes.',
    'RAW files keep more detail for editing than JPEG.',
    'Photographing a cat at its eye level makes a stronger portrait.',
  ],
  Batteries: [
    'Lithium-ion batteries last longer when kept between twenty and eighty percent charge.',
    'Heat ages a phone battery faster than charging overnight does.',
    'Electric car batteries lose a little capacity each year.',
    'Fast charging slows down as the battery fills.',
    'A battery’s capacity is measured in milliampere-hours or kilowatt-hours.',
    'Cold weather temporarily reduces the range of an electric car.',
    'Recycling recovers lithium, cobalt and nickel from old batteries.',
    'Solid-state batteries promise more energy in less space.',
  ],
  Sleep: [
    'Adults need seven to nine hours of sleep a night.',
    'Blue light from screens in the evening can delay sleep.',
    'Deep sleep happens mostly in the first half of the night.',
    'Caffeine late in the day makes it harder to fall asleep.',
    'A cool, dark room helps people sleep.',
    'Cats sleep twelve to sixteen hours a day, mostly in short naps.',
    'Dreams happen mainly during REM sleep.',
    'Going to bed at the same time each day steadies the body clock.',
  ],
};

function shortTitle(fact: string): string {
  const words = fact.replace(/[,;:]/g, '').replace(/\.$/, '').split(' ');
  return words.slice(0, 6).join(' ') + (words.length > 6 ? '…' : '');
}

export function sampleCorpus(): Doc[] {
  const docs: Doc[] = [];
  const add = (topic: string, first: string, second?: string) =>
    docs.push({ id: `s${docs.length}`, title: `${topic}: ${shortTitle(first)}`, text: second ? `${first} ${second}` : first });
  for (const [topic, facts] of Object.entries(TOPICS)) {
    const n = facts.length;
    facts.forEach((f) => add(topic, f));
    facts.forEach((f, i) => add(topic, f, facts[(i + 1) % n]));
    facts.forEach((f, i) => add(topic, facts[(i + 3) % n]!, f));
  }
  return docs;
}

export const SAMPLE_QUERIES = [
  'how do I get my cat and dog to live together',
  'why does my phone battery wear out',
  'how long do cats sleep',
  'best way to brew coffee without bitterness',
  'what makes search results more relevant',
];
